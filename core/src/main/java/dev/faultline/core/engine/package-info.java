/**
 * The container engine as faultline needs it, in faultline's own types. The docker-java
 * adapter lives in {@code dev.faultline.core.engine.docker}, the one package that imports it.
 */
package dev.faultline.core.engine;
