/**
 * Steady state: is the system behaving normally? A {@link dev.faultline.core.steadystate.SteadyState}
 * is what an experiment requires before injecting and again after reverting (every probe passes);
 * a {@link dev.faultline.core.steadystate.HealthWatch} runs a probe on a fixed schedule and sums up
 * availability, latency, the longest outage and the errors by class.
 */
package dev.faultline.core.steadystate;
