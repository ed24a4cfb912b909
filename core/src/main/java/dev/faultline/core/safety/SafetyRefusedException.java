package dev.faultline.core.safety;

import dev.faultline.core.fault.FaultException;

/** The production guard refused: the message says what was refused and how to allow it. Nothing was touched. */
public class SafetyRefusedException extends FaultException {
    public SafetyRefusedException(String message) {
        super(message);
    }
}
