/**
 * A TCP proxy with toxics (latency, jitter, bandwidth, reset, timeout, slow close, down) that can be
 * changed while traffic flows. Network faults need it because this kernel has no netem: a netfilter
 * DNAT rule in the target's namespace sends one destination through a {@link dev.faultline.core.proxy.ToxicProxy}.
 */
package dev.faultline.core.proxy;
