/**
 * An open-model HTTP load generator: requests leave on a computed schedule whatever the target does,
 * latency is measured from the intended send time (no coordinated omission), every request becomes a
 * {@link dev.faultline.core.load.RequestRecord} that listeners receive and that can be streamed to JSON Lines.
 */
package dev.faultline.core.load;
