/**
 * What "the stack works" means for an experiment: probes that must all pass before a fault is
 * injected and again after it is reverted, sampled continuously while the experiment runs.
 */
package dev.faultline.core.steadystate;
