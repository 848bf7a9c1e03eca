package dev.greenlight.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsTest {
    private static Map<String, String> minimal() {
        Map<String, String> values = new HashMap<>();
        values.put("GREENLIGHT_MODELS", "iris-clf, other");
        values.put("GREENLIGHT_REGISTRY", "/tmp/r");
        values.put("GREENLIGHT_STORE", "/tmp/s");
        return values;
    }

    @Test
    void applies_documented_defaults() {
        Settings settings = Settings.from(minimal());

        assertThat(settings.models()).containsExactly("iris-clf", "other");
        assertThat(settings.maxBodyBytes()).isEqualTo(8L * 1024 * 1024);
        assertThat(settings.pointerTtl()).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.inferenceThreads()).isEqualTo(1);
    }

    @Test
    void parses_byte_sizes_and_fractional_seconds() {
        Map<String, String> values = minimal();
        values.put("GREENLIGHT_MAX_BODY", "2MiB");
        values.put("GREENLIGHT_POINTER_TTL", "0.25");

        Settings settings = Settings.from(values);

        assertThat(settings.maxBodyBytes()).isEqualTo(2L * 1024 * 1024);
        assertThat(settings.pointerTtl()).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void names_the_setting_and_the_bad_value() {
        Map<String, String> values = minimal();
        values.put("GREENLIGHT_POINTER_TTL", "soon");

        assertThatThrownBy(() -> Settings.from(values))
                .isInstanceOf(SettingsException.class)
                .hasMessage("GREENLIGHT_POINTER_TTL must be a number of seconds, was 'soon'");
    }

    @Test
    void requires_the_models_to_serve() {
        Map<String, String> values = minimal();
        values.remove("GREENLIGHT_MODELS");

        assertThatThrownBy(() -> Settings.from(values)).hasMessage("GREENLIGHT_MODELS is not set");
    }
}
