package dev.greenlight.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import dev.greenlight.errors.Misconfigured;
import java.util.HashMap;
import java.util.LinkedHashMap;
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
        assertThat(settings.maxModelBytes()).isEqualTo(2L * 1024 * 1024 * 1024);
        assertThat(settings.pointerTtl()).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.inferenceThreads()).isEqualTo(1);
    }

    @Test
    void parses_byte_sizes_and_fractional_seconds() {
        Map<String, String> values = minimal();
        values.put("GREENLIGHT_MAX_BODY", "2MiB");
        values.put("GREENLIGHT_MAX_MODEL_BYTES", "512 KiB");
        values.put("GREENLIGHT_POINTER_TTL", "0.25");

        Settings settings = Settings.from(values);

        assertThat(settings.maxBodyBytes()).isEqualTo(2L * 1024 * 1024);
        assertThat(settings.maxModelBytes()).isEqualTo(512L * 1024);
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

    @Test
    void parses_the_gate_once_with_the_other_settings() {
        Map<String, String> values = minimal();
        values.put("GREENLIGHT_GATE", "{\"mode\": \"manual\"}");

        assertThat(Settings.from(values).gate().mode()).isEqualTo(dev.greenlight.gate.GatePolicy.Mode.MANUAL);
        assertThat(Settings.from(minimal()).gate()).isEqualTo(dev.greenlight.gate.GatePolicy.defaults());
    }

    @Test
    void a_misspelt_gate_key_fails_the_settings_naming_it() {
        Map<String, String> values = minimal();
        values.put("GREENLIGHT_GATE", "{\"minImprovment\": 0.02}");

        assertThatThrownBy(() -> Settings.from(values)).isInstanceOf(Misconfigured.class)
                .hasMessageStartingWith("GREENLIGHT_GATE has an unknown key 'minImprovment'");
    }

    @Test
    void each_bad_value_is_one_line_naming_the_setting_the_value_and_what_is_allowed() {
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("GREENLIGHT_POINTER_TTL=0.01", "GREENLIGHT_POINTER_TTL must be a number of seconds of at least 0.1, was 0.01");
        cases.put("GREENLIGHT_POINTER_TTL=NaN", "GREENLIGHT_POINTER_TTL must be a number of seconds, was 'NaN'");
        cases.put("GREENLIGHT_POINTER_TTL=-5", "GREENLIGHT_POINTER_TTL must be a number of seconds, was '-5'");
        cases.put("GREENLIGHT_MAX_BODY=lots", "GREENLIGHT_MAX_BODY must be a byte count such as 8388608 or 8MiB, was 'lots'");
        cases.put("GREENLIGHT_MAX_BODY=0", "GREENLIGHT_MAX_BODY must be a positive byte count such as 8388608 or 8MiB, was 0");
        cases.put("GREENLIGHT_MAX_MODEL_BYTES=big", "GREENLIGHT_MAX_MODEL_BYTES must be a byte count such as 8388608 or"
                + " 8MiB, was 'big'");
        cases.put("GREENLIGHT_MAX_MODEL_BYTES=-1GiB", "GREENLIGHT_MAX_MODEL_BYTES must be a positive byte count such as"
                + " 2147483648 or 2GiB, was -1073741824");
        cases.put("GREENLIGHT_ORT_THREADS=two", "GREENLIGHT_ORT_THREADS must be a whole number, was 'two'");
        cases.put("GREENLIGHT_ORT_THREADS=0", "GREENLIGHT_ORT_THREADS must be a whole number of at least 1, was 0");
        cases.put("GREENLIGHT_MODELS=iris-clf,iris clf", "GREENLIGHT_MODELS has an invalid model name: 'iris clf'; a name is"
                + " 1 to 255 letters, digits, '.', '_' or '-', starting with a letter or digit");
        cases.put("GREENLIGHT_MODELS=a,a", "GREENLIGHT_MODELS names a model twice: 'a,a'");
        cases.put("GREENLIGHT_ARM_ENDPOINT=http://management.azure.com", "GREENLIGHT_ARM_ENDPOINT must be an https URL"
                + " with no path, such as https://management.azure.com, was 'http://management.azure.com'");
        cases.put("GREENLIGHT_REFRESH_TARGETS=https://a.example/refresh,not a url", "GREENLIGHT_REFRESH_TARGETS has an"
                + " invalid URL: 'not a url'; expected comma-separated http:// or https:// URLs");
        cases.put("GREENLIGHT_REFRESH_KEY=short", "GREENLIGHT_REFRESH_KEY must be at least 16 characters, was 5");
        cases.put("GREENLIGHT_STORE=UseDevelopmentStorage=true", "GREENLIGHT_STORE as a connection string needs"
                + " ';Container=<name>' at the end, e.g. UseDevelopmentStorage=true;Container=greenlight");
        cases.put("GREENLIGHT_REGISTRY=/subscriptions/s/resourceGroups/g", "GREENLIGHT_REGISTRY is not an Azure ML"
                + " workspace or registry resource id: '/subscriptions/s/resourceGroups/g' (expected /subscriptions/"
                + "{subscription}/resourceGroups/{group}/providers/Microsoft.MachineLearningServices/workspaces/{name}"
                + " or .../registries/{name})");
        cases.forEach((setting, message) -> {
            Map<String, String> values = minimal();
            int eq = setting.indexOf('=');
            values.put(setting.substring(0, eq), setting.substring(eq + 1));

            assertThatThrownBy(() -> Settings.from(values)).as(setting)
                    .isInstanceOf(SettingsException.class).hasMessage(message);
        });
    }

    @Test
    void installing_bad_settings_fails_before_the_app_sees_them() {
        Map<String, String> values = minimal();
        values.put("GREENLIGHT_ORT_THREADS", "0");

        assertThatThrownBy(() -> HostSettings.install(values)).isInstanceOf(SettingsException.class)
                .hasMessageContaining("GREENLIGHT_ORT_THREADS");
    }
}
