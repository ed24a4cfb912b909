/**
 * The Docker Engine adapter: the one package in faultline that imports docker-java. It
 * negotiates the API version, bounds every call in time and maps the engine's answers to
 * faultline's own types ({@link dev.faultline.core.engine}).
 */
package dev.faultline.core.engine.docker;
