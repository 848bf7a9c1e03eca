package dev.greenlight.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.greenlight.errors.BadRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class VersionIdTest {

    @ParameterizedTest
    @ValueSource(strings = {"1", "20", "2024.01.05", "v2-rc_1", "A"})
    void accepts_numbers_and_short_version_strings(String version) {
        assertThat(VersionId.isValid(version)).isTrue();
        assertThat(VersionId.require(version)).isEqualTo(version);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "../../x", "..", "1..2", "/abs", "C:\\x", "a/b", "%2e%2e%2f", "-1", ".1", "_1", " 1",
            "1 ", "1\n", "ü"})
    void refuses_paths_traversal_and_anything_outside_the_rule(String version) {
        assertThat(VersionId.isValid(version)).isFalse();
    }

    @Test
    void refuses_null_and_values_longer_than_64_characters() {
        assertThat(VersionId.isValid(null)).isFalse();
        assertThat(VersionId.isValid("9".repeat(64))).isTrue();
        assertThat(VersionId.isValid("9".repeat(65))).isFalse();
    }

    @Test
    void require_answers_invalid_version_naming_a_clipped_value() {
        String junk = "../" + "x".repeat(10_000);

        assertThatThrownBy(() -> VersionId.require(junk.substring(0, 40)))
                .isInstanceOfSatisfying(BadRequest.class, e -> assertThat(e.code()).isEqualTo("invalid_version"))
                .hasMessageContaining("'../xxx");
        assertThatThrownBy(() -> VersionId.require(junk)).hasMessageContaining("longer than 64");
    }
}
