package dev.faultline.core.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SettingsTest {

    @Test
    void unsetOrBlankVariablesAreEmptySoEachCommandPicksItsDefault() {
        Settings s = Settings.from(Map.of("FAULTLINE_URL", " ", "FAULTLINE_RATE", ""));
        assertThat(s.url()).isEmpty();
        assertThat(s.rate()).isEmpty();
        assertThat(s.project()).isEmpty();
        assertThat(s.only()).isEmpty();
        assertThat(s.progress()).isFalse();
        assertThat(s.notifier().enabled()).isFalse();
    }

    @Test
    void parsesEveryVariableIntoItsType() {
        Settings s = Settings.from(Map.ofEntries(Map.entry("FAULTLINE_PROJECT", "shop"),
                Map.entry("FAULTLINE_URL", "http://127.0.0.1:9/x"), Map.entry("FAULTLINE_RATE", "12.5"),
                Map.entry("FAULTLINE_DURATION", "0"), Map.entry("FAULTLINE_INTERVAL", "500ms"),
                Map.entry("FAULTLINE_TIMEOUT", "PT2S"), Map.entry("FAULTLINE_METHOD", "post"),
                Map.entry("FAULTLINE_EXPECT_STATUS", "204"), Map.entry("FAULTLINE_MIN_AVAILABILITY", "99.5%"),
                Map.entry("FAULTLINE_SINCE", "10m"), Map.entry("FAULTLINE_UNTIL", "2026-11-27T06:48:00Z"),
                Map.entry("FAULTLINE_REPORTS", "off"), Map.entry("FAULTLINE_PROGRESS", "true"),
                Map.entry("FAULTLINE_WEBHOOK_URL", "https://hooks.example/h"), Map.entry("FAULTLINE_ONLY", "01, adv-"),
                Map.entry("FAULTLINE_RESULTS", "r.jsonl"), Map.entry("FAULTLINE_WARMUP", "1.5s")));
        assertThat(s.project()).contains("shop");
        assertThat(s.rate()).contains(12.5);
        assertThat(s.duration()).contains(Duration.ZERO);
        assertThat(s.interval()).contains(Duration.ofMillis(500));
        assertThat(s.timeout()).contains(Duration.ofSeconds(2));
        assertThat(s.method()).contains("POST");
        assertThat(s.expectStatus()).contains(204);
        assertThat(s.minAvailabilityPercent()).contains(99.5);
        Instant now = Instant.parse("2026-11-27T07:00:00Z");
        assertThat(s.since().orElseThrow().resolve(now)).isEqualTo(Instant.parse("2026-11-27T06:50:00Z"));
        assertThat(s.until().orElseThrow().resolve(now)).isEqualTo(Instant.parse("2026-11-27T06:48:00Z"));
        assertThat(s.reports().orElseThrow().off()).isTrue();
        assertThat(s.progress()).isTrue();
        assertThat(s.notifier().enabled()).isTrue();
        assertThat(s.only()).isEqualTo(List.of("01", "adv-"));
        assertThat(s.results()).contains(Path.of("r.jsonl"));
        assertThat(s.warmUp()).contains(Duration.ofMillis(1500));
        assertThat(Settings.from(Map.of("FAULTLINE_REPORTS", "out")).reports().orElseThrow().folder()).isEqualTo(Optional.of(Path.of("out")));
    }

    @Test
    void restoreIsOnUnlessTurnedOff() {
        assertThat(Settings.from(Map.of()).restore()).isTrue();
        assertThat(Settings.from(Map.of("FAULTLINE_RESTORE", "OFF")).restore()).isFalse();
        assertThat(Settings.from(Map.of("FAULTLINE_RESTORE", "on")).restore()).isTrue();
        assertThatIllegalArgumentException().isThrownBy(() -> Settings.from(Map.of("FAULTLINE_RESTORE", "no")))
                .withMessage("FAULTLINE_RESTORE must be on or off, got 'no'");
    }

    @Test
    void durationsAsPeopleTypeThem() {
        assertThat(Settings.duration("D", "10s")).isEqualTo(Duration.ofSeconds(10));
        assertThat(Settings.duration("D", "1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(Settings.duration("D", "250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(Settings.duration("D", "2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(Settings.duration("D", "PT3S")).isEqualTo(Duration.ofSeconds(3));
        assertThat(Settings.duration("D", "90")).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void aMalformedVariableIsNamedWithWhatItAccepts() {
        assertThatThrownBy(() -> Settings.from(Map.of("FAULTLINE_INTERVAL", "soon")))
                .hasMessage("FAULTLINE_INTERVAL must be a duration such as 500ms, 2s, 5m or PT2S, got 'soon'");
        assertThatThrownBy(() -> Settings.from(Map.of("FAULTLINE_EXPECT_STATUS", "2000")))
                .hasMessage("FAULTLINE_EXPECT_STATUS must be a whole number in [100, 599], got '2000'");
        assertThatThrownBy(() -> Settings.from(Map.of("FAULTLINE_MIN_AVAILABILITY", "101")))
                .hasMessage("FAULTLINE_MIN_AVAILABILITY must be a percentage in [0, 100], got '101'");
        assertThatThrownBy(() -> Settings.from(Map.of("FAULTLINE_URL", "localhost:8081")))
                .hasMessage("FAULTLINE_URL must be an http:// or https:// URL, got 'localhost:8081'");
        assertThatThrownBy(() -> Settings.from(Map.of("FAULTLINE_RATE", "fast")))
                .hasMessage("FAULTLINE_RATE must be a number > 0 of requests per second, got 'fast'");
        assertThatThrownBy(() -> Settings.from(Map.of("FAULTLINE_SINCE", "yesterday")))
                .hasMessageStartingWith("FAULTLINE_SINCE must be a time ago (10m, 90s, 2h, 1d) or an ISO instant");
        assertThatThrownBy(() -> Settings.from(Map.of("FAULTLINE_PROJECT", "Shop")))
                .hasMessageStartingWith("FAULTLINE_PROJECT must be a Compose project name");
    }

    @Test
    void redrawsInPlaceOnlyOnATerminalAndNotWhenPlainIsAsked() {
        assertThat(Settings.from(Map.of("TERM", "xterm-256color")).terminal()).isTrue();
        assertThat(Settings.from(Map.of("TERM", "xterm-256color", "FAULTLINE_PLAIN", "1")).terminal()).isFalse();
        assertThat(Settings.from(Map.of("TERM", "dumb")).terminal()).isFalse();
        assertThat(Settings.from(Map.of()).terminal()).isFalse();
    }
}
