/**
 * Observations of the system under test: an HTTP call, a TCP connect. A probe never throws; its
 * {@link dev.faultline.core.probe.ProbeResult} says what was seen and, when it failed, the
 * {@link dev.faultline.core.probe.ErrorClass} users recognise from their dashboards.
 */
package dev.faultline.core.probe;
