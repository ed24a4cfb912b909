package dev.faultline.core.engine;

/** Who answered: engine version, negotiated API version, where it listens. */
public record EngineInfo(String version, String apiVersion, String endpoint, String os, String kernel, boolean local) {}
