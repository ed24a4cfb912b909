package dev.faultline.core.redact;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RedactorTest {

    private final Redactor r = Redactor.standard();

    @Test
    void dsnPasswords() {
        assertThat(r.redact("DATABASE_URL=postgres://demo:pw123@db:5432/demo"))
                .isEqualTo("DATABASE_URL=postgres://demo:***@db:5432/demo");
        assertThat(r.redact("postgresql://u:p%40ss@h/x and redis://:tok@cache:6379"))
                .isEqualTo("postgresql://u:***@h/x and redis://:***@cache:6379");
        assertThat(r.redact("host=db user=demo password=hunter2 dbname=demo"))
                .isEqualTo("host=db user=demo password=*** dbname=demo");
        assertThat(r.redact("{\"password\": \"hunter2\", \"user\": \"demo\"}"))
                .isEqualTo("{\"password\": \"***\", \"user\": \"demo\"}");
    }

    @Test
    void headers() {
        assertThat(r.redact("Authorization: Bearer eyJhbGciOi.abc.def")).isEqualTo("Authorization: Bearer ***");
        assertThat(r.redact("authorization=Basic dXNlcjpwdw==")).isEqualTo("authorization=Basic ***");
        assertThat(r.redact("Cookie: sessionid=abc; csrftoken=def")).isEqualTo("Cookie: ***");
        assertThat(r.redact("Set-Cookie: sessionid=abc; HttpOnly")).isEqualTo("Set-Cookie: ***");
    }

    @Test
    void webhookUrls() {
        assertThat(r.redact("posting to https://hooks.slack.com/services/T000/B000/XXXXXXXX failed"))
                .isEqualTo("posting to https://hooks.slack.com/*** failed");
    }

    @Test
    void secretEnvironmentValues() {
        assertThat(r.redact("DJANGO_SECRET_KEY=django-insecure-abc123 DEBUG=0"))
                .isEqualTo("DJANGO_SECRET_KEY=*** DEBUG=0");
        assertThat(r.redact("POSTGRES_PASSWORD=demo")).isEqualTo("POSTGRES_PASSWORD=***");
        Redactor fromEnv = r.withSecretsFrom(Map.of("DJANGO_SECRET_KEY", "k3y-v4lue-zz", "HOME", "/root"));
        assertThat(fromEnv.redact("settings say k3y-v4lue-zz here, home /root"))
                .isEqualTo("settings say *** here, home /root");
    }

    @Test
    void literalSecretsShortValuesIgnoredAndToStringShowsNoSecret() {
        Redactor x = r.withSecrets(List.of("https://example.test/hook/abcdef", "on", " "));
        assertThat(x.redact("url https://example.test/hook/abcdef; on")).isEqualTo("url ***; on");
        assertThat(x.toString()).doesNotContain("abcdef").isEqualTo("Redactor[patterns=7, literals=1]");
    }

    @Test
    void ordinaryLogLinesAreUntouched() {
        String line = "2026/11/27 06:48:03 [error] 7#7: *66 connect() failed (111: Connection refused) while connecting "
                + "to upstream, client: 192.168.224.1, request: \"GET / HTTP/1.1\", upstream: \"http://192.168.224.3:8000/\"";
        assertThat(r.redact(line)).isEqualTo(line);
        assertThat(r.redact(null)).isNull();
    }

    @Test
    void exceptionMessages() {
        Exception e = new IllegalStateException("cannot reach postgres://demo:pw@db/demo",
                new java.io.IOException("Authorization: Bearer tok123"));
        assertThat(r.describe(e)).isEqualTo("IllegalStateException cannot reach postgres://demo:***@db/demo: "
                + "IOException Authorization: Bearer ***");
    }
}
