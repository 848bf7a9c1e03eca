package dev.greenlight.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class RefreshSignatureTest {
    private static final String BODY = "{\"model\":\"iris-clf\",\"version\":\"2\",\"sha256\":\"ab\",\"generation\":2}";
    private final RefreshSignature signature = new RefreshSignature("0123456789abcdef-test-key");
    private final Instant now = Instant.parse("2026-11-25T12:00:00Z");

    @Test
    void accepts_its_own_fresh_signature() {
        assertThat(signature.problem(signature.sign(BODY, now), BODY, now.plusSeconds(60))).isEmpty();
    }

    @Test
    void matches_an_independently_computed_hmac() {
        // HMAC-SHA256("0123456789abcdef-test-key", "1795608000." + BODY), computed with openssl.
        assertThat(signature.sign(BODY, now))
                .isEqualTo("t=1795608000,v1=a9a31e51a426ca560c7ee091a111fe21dba3b36e3264f6c19f13665efd7e2439");
    }

    @Test
    void refuses_a_tampered_body_another_key_and_a_stale_or_missing_signature() {
        String header = signature.sign(BODY, now);

        assertThat(signature.problem(header, BODY.replace("\"2\"", "\"3\""), now)).contains("signature does not match");
        assertThat(new RefreshSignature("another-key-of-16+chars").problem(header, BODY, now))
                .contains("signature does not match");
        assertThat(signature.problem(header, BODY, now.plusSeconds(301))).get().asString().contains("5 minutes");
        assertThat(signature.problem(null, BODY, now)).get().asString().contains("missing");
        assertThat(signature.problem("t=abc,v1=00", BODY, now)).get().asString().contains("malformed");
        assertThat(signature.problem("v1=00", BODY, now)).get().asString().contains("t= and v1=");
    }
}
