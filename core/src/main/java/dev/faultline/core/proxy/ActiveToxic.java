package dev.faultline.core.proxy;

/** A toxic as installed on a proxy, under its name, for one direction. */
public record ActiveToxic(String name, Direction direction, Toxic toxic) {}
