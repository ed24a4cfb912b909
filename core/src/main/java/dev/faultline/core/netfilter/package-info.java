/**
 * faultline's netfilter rules: how they are tagged ({@link dev.faultline.core.netfilter.RuleTag})
 * and the one sweep that finds and deletes them again ({@link dev.faultline.core.netfilter.NetfilterSweep}),
 * shared by the faults, the recovery of dead runs, the reaper and the tests.
 */
package dev.faultline.core.netfilter;
