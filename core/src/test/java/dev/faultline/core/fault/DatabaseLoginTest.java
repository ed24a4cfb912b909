package dev.faultline.core.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DatabaseLoginTest {

    @Test
    void namesAreCheckedAndThePasswordIsNeverShown() {
        DatabaseLogin login = DatabaseLogin.of("demo", "app", "s3cret-pw");
        assertThat(login.toString()).isEqualTo("DatabaseLogin[database=demo, user=app, password=***]");
        assertThat(PostgresConnectionsFault.of("db", login).toString()).doesNotContain("s3cret-pw");
        assertThat(DatabaseLogin.of("demo", "app", "").password()).as("trust authentication takes an empty password").isEmpty();
        assertThat(DatabaseLogin.of("demo", "app", " \t").password()).as("a password is not trimmed").isEqualTo(" \t");
    }

    @Test
    void badArgumentsNameTheArgumentAndNeverEchoThePassword() {
        assertThatThrownBy(() -> DatabaseLogin.of("", "app", "pw")).hasMessage("database must be non-blank, got ''");
        assertThatThrownBy(() -> DatabaseLogin.of("demo", " ", "pw")).hasMessage("user must be non-blank, got ' '");
        assertThatThrownBy(() -> DatabaseLogin.of("demo", null, "pw")).hasMessage("user must be non-blank, got 'null'");
        assertThatThrownBy(() -> DatabaseLogin.of("d".repeat(64), "app", "pw"))
                .hasMessage("database must be at most 63 characters, got '" + "d".repeat(64) + "'");
        assertThatThrownBy(() -> DatabaseLogin.of("demo", "app", null))
                .hasMessage("password must be a string of at most 1000 characters, got null");
        assertThatThrownBy(() -> DatabaseLogin.of("demo", "app", "p".repeat(1001)))
                .hasMessage("password must be at most 1000 characters, got 1001 characters");
    }
}
