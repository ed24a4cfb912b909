/**
 * Experiments and the runner that carries them out: steady-state check, load and observation,
 * faults at their offsets, reverts that always run (also on abort, exception and Ctrl-C),
 * recovery, and a verdict per expectation in words the stack's developers understand.
 */
package dev.faultline.core.experiment;
