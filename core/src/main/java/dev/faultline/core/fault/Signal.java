package dev.faultline.core.fault;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A POSIX signal as {@code docker kill --signal} and {@code kill -s} take it, with its Linux number.
 * A type rather than a free string so that a typo fails to compile and the signal cannot be swapped
 * with the process pattern next to it ({@code signal(Signal.TERM, "gunicorn")}).
 */
public enum Signal {
    HUP(1), INT(2), QUIT(3), ABRT(6), KILL(9), USR1(10), USR2(12), PIPE(13), ALRM(14), TERM(15),
    CONT(18), STOP(19), TSTP(20), WINCH(28);

    private final int number;

    Signal(int number) {
        this.number = number;
    }

    /** The Linux signal number (x86-64 and arm64 agree on these). */
    public int number() {
        return number;
    }

    /**
     * A signal from text, for scripts that read it from a variable: a name with or without {@code SIG}
     * in any case ({@code KILL}, {@code sigterm}) or its Linux number ({@code 9}).
     *
     * @throws IllegalArgumentException naming the argument, the value and the signals allowed
     */
    public static Signal of(String signal) {
        String s = signal == null ? "" : signal.strip().toUpperCase(Locale.ROOT);
        String name = s.startsWith("SIG") ? s.substring(3) : s;
        for (Signal candidate : values()) {
            if (candidate.name().equals(name) || String.valueOf(candidate.number).equals(name)) {
                return candidate;
            }
        }
        throw new IllegalArgumentException("signal must be one of " + allowed() + " (a name, with or without SIG, or its number), got "
                + Checks.shown(signal));
    }

    /** The value itself, refusing null with the same message as {@link #of(String)}. */
    static Signal checked(Signal signal) {
        if (signal == null) {
            throw new IllegalArgumentException("signal must be one of " + allowed() + ", got null");
        }
        return signal;
    }

    static String allowed() {
        return Arrays.stream(values()).map(s -> s.name() + "(" + s.number + ")").collect(Collectors.joining(", "));
    }
}
