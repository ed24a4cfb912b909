/**
 * Faults that always end, leftovers that can always be undone, and the guard rails around both:
 * the on-disk {@link dev.faultline.core.safety.Ledger} of every change a run makes (written before
 * the change, with how to undo it), the {@link dev.faultline.core.safety.Reaper} container that undoes
 * a run whose JVM disappeared, {@link dev.faultline.core.safety.Recover} for everything left on an
 * engine, and the production guard ({@link dev.faultline.core.safety.SafetyPolicy}: no remote engine,
 * no container labelled {@code faultline.protect=true}, a cap on containers per fault, unless allowed).
 * {@link dev.faultline.core.safety.SafeRun} ties them together for one run.
 */
package dev.faultline.core.safety;
