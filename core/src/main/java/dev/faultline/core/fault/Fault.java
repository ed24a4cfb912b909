package dev.faultline.core.fault;

/**
 * Something that goes wrong on purpose. {@link #inject} makes it happen and returns the
 * {@link Injection} that undoes it; the runner closes that injection on every path (normal end,
 * exception, abort, Ctrl-C). Arguments are validated when the fault is built, never at inject time.
 */
public interface Fault {

    /** What this fault does, in words a user reads in a report: "crash web (SIGKILL to its main process)". */
    String describe();

    /** Makes the fault happen now. Throws {@link FaultException} when it could not, having touched nothing left over. */
    Injection inject(FaultContext context);
}
