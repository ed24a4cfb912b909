/**
 * Time as faultline's classes share it: waiting until a monotonic deadline ({@link dev.faultline.core.time.Waits})
 * and durations as people read them ({@link dev.faultline.core.time.Durations}). A leaf: it depends on nothing of core.
 */
package dev.faultline.core.time;
