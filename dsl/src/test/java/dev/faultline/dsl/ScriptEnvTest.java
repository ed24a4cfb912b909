package dev.faultline.dsl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the scripts read from their environment: defaults for unset or blank variables, refusals that name the range. */
class ScriptEnvTest {

    private static final Map<String, String> ENV = Map.of(
            "WEB", "  app ", "BLANK", "  ", "RECOVERY", " 45 ", "WORD", "ten", "ZERO", "0", "HUGE", "99999999999");

    @Test
    void textIsStrippedAndFallsBackWhenUnsetOrBlank() {
        assertThat(ScriptEnv.text(ENV, "WEB", "web")).isEqualTo("app");
        assertThat(ScriptEnv.text(ENV, "BLANK", "web")).isEqualTo("web");
        assertThat(ScriptEnv.text(ENV, "UNSET", "web")).isEqualTo("web");
    }

    @Test
    void numbersInRangeAreTakenAndUnsetOnesFallBack() {
        assertThat(ScriptEnv.seconds(ENV, "RECOVERY", 30, 1, 3600)).isEqualTo(45);
        assertThat(ScriptEnv.number(ENV, "RECOVERY", 3, 1, 64)).isEqualTo(45);
        assertThat(ScriptEnv.seconds(ENV, "BLANK", 30, 1, 3600)).isEqualTo(30);
        assertThat(ScriptEnv.number(ENV, "UNSET", 3, 1, 64)).isEqualTo(3);
    }

    @Test
    void aNumberOutOfRangeOrNotANumberIsRefusedNamingTheVariableAndTheRange() {
        assertThatIllegalArgumentException().isThrownBy(() -> ScriptEnv.seconds(ENV, "ZERO", 30, 1, 3600))
                .withMessage("ZERO must be whole seconds in [1, 3600], got '0'");
        assertThatIllegalArgumentException().isThrownBy(() -> ScriptEnv.number(ENV, "WORD", 3, 1, 64))
                .withMessage("WORD must be a whole number in [1, 64], got 'ten'");
        assertThatIllegalArgumentException().isThrownBy(() -> ScriptEnv.number(ENV, "HUGE", 3, 1, 64))
                .withMessage("HUGE must be a whole number in [1, 64], got '99999999999'");
    }

    @Test
    void aScriptsOwnImpossibleDefaultIsRefusedEvenWhenTheVariableIsUnset() {
        assertThatIllegalArgumentException().isThrownBy(() -> ScriptEnv.number(ENV, "UNSET", 0, 1, 64))
                .withMessage("the default of UNSET must be in [1, 64], got 0: set UNSET");
        assertThatIllegalArgumentException().isThrownBy(() -> ScriptEnv.seconds(ENV, "UNSET", 5, 10, 1))
                .withMessage("min must be at most max (1), got 10");
        assertThatIllegalArgumentException().isThrownBy(() -> ScriptEnv.seconds(ENV, "UNSET", 5, -1, 10))
                .withMessage("min must be at least 0 seconds, got -1");
    }

    @Test
    void aNameThatNoEnvironmentVariableCanHaveIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> ScriptEnv.text(ENV, "MY VAR", "x"))
                .withMessage("name must be an environment variable's name (letters, digits, '_', not starting with a digit; "
                        + "1 to 100 characters), got 'MY VAR'");
        assertThatIllegalArgumentException().isThrownBy(() -> ScriptEnv.number(ENV, null, 0, 1, 64))
                .withMessageStartingWith("name must be an environment variable's name");
        assertThatIllegalArgumentException().isThrownBy(() -> ScriptEnv.text(ENV, "WEB", null))
                .withMessage("fallback must not be null (an empty string is allowed)");
    }
}
