/**
 * Faults: what goes wrong on purpose, how it is made (Docker API calls, or helper containers next
 * to the target) and how it is undone. Each fault is an immutable value validated when built; its
 * {@link dev.faultline.core.fault.Fault#inject} returns the {@link dev.faultline.core.fault.Injection}
 * that reverts it, and says in {@link dev.faultline.core.fault.Injection#mechanism()} exactly what was done.
 */
package dev.faultline.core.fault;
