package dev.greenlight.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.greenlight.errors.Misconfigured;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gate document as the README shows it, read strictly: every mistake is one line naming it. */
class GatePolicyTest {
    private static final String README_EXAMPLE = """
            { "primaryMetric": "f1", "higherIsBetter": true, "floor": 0.85, "minImprovement": 0.0,
              "guardrails": [ { "metric": "latency_p95_ms", "maxRegression": 0.10, "relative": true } ],
              "requireSignatureMatch": true, "smokeTest": true, "mode": "auto" }""";

    @TempDir
    Path dir;

    @Test
    void reads_the_documented_shape() {
        GatePolicy policy = GatePolicy.parse(README_EXAMPLE);

        assertThat(policy).isEqualTo(new GatePolicy("f1", true, 0.85, 0.0,
                List.of(new GatePolicy.Guardrail("latency_p95_ms", 0.10, true, false)), true, true,
                GatePolicy.Mode.AUTO));
    }

    @Test
    void every_omitted_key_takes_its_default() {
        assertThat(GatePolicy.parse("{}")).isEqualTo(GatePolicy.defaults());
        assertThat(GatePolicy.parse(null)).isEqualTo(GatePolicy.defaults());
        assertThat(GatePolicy.parse("{\"floor\": null, \"guardrails\": null}")).isEqualTo(GatePolicy.defaults());
        assertThat(GatePolicy.parse("{\"guardrails\": [{\"metric\": \"latency_p95_ms\"}]}").guardrails())
                .containsExactly(new GatePolicy.Guardrail("latency_p95_ms", 0.0, true, false));
    }

    @Test
    void the_defaults_are_the_documented_ones() {
        assertThat(GatePolicy.defaults()).isEqualTo(new GatePolicy("f1", true, 0.85, 0.0, List.of(), true, true,
                GatePolicy.Mode.AUTO));
    }

    @Test
    void reads_manual_mode_in_any_case_and_integers_as_numbers() {
        GatePolicy policy = GatePolicy.parse("{\"mode\": \"Manual\", \"floor\": 1, \"higherIsBetter\": false}");

        assertThat(policy.mode()).isEqualTo(GatePolicy.Mode.MANUAL);
        assertThat(policy.floor()).isEqualTo(1.0);
        assertThat(policy.higherIsBetter()).isFalse();
    }

    @Test
    void reads_a_policy_file() throws Exception {
        Path file = Files.writeString(dir.resolve("gate.json"), "{\"minImprovement\": 0.02}");

        assertThat(GatePolicy.parse(file.toString()).minImprovement()).isEqualTo(0.02);
    }

    @Test
    void refuses_a_misspelt_key_naming_it_and_what_is_allowed() {
        assertThatThrownBy(() -> GatePolicy.parse("{\"minImprovment\": 0.02}"))
                .isInstanceOf(Misconfigured.class)
                .hasMessageStartingWith("GREENLIGHT_GATE has an unknown key 'minImprovment' (did you mean "
                        + "'minImprovement'?); allowed: ")
                .hasMessageContaining("primaryMetric").hasMessageContaining("guardrails").hasMessageContaining("mode");
    }

    @Test
    void refuses_an_unknown_key_inside_a_guardrail_with_its_path() {
        assertThatThrownBy(() -> GatePolicy.parse("{\"guardrails\": [{\"metric\": \"m\", \"maxRegresion\": 0.1}]}"))
                .isInstanceOf(Misconfigured.class)
                .hasMessageStartingWith("GREENLIGHT_GATE has an unknown key 'guardrails[0].maxRegresion' "
                        + "(did you mean 'maxRegression'?); allowed: ");
    }

    @Test
    void refuses_a_section_this_version_does_not_know() {
        assertThatThrownBy(() -> GatePolicy.parse("{\"rollout\": {\"steps\": [10, 50, 100]}}"))
                .isInstanceOf(Misconfigured.class).hasMessageStartingWith("GREENLIGHT_GATE has an unknown key 'rollout'");
    }

    @Test
    void refuses_values_of_the_wrong_type_without_coercing_them() {
        assertThatThrownBy(() -> GatePolicy.parse("{\"floor\": \"0.9\"}"))
                .isInstanceOf(Misconfigured.class).hasMessage("GREENLIGHT_GATE.floor must be a number, was \"0.9\"");
        assertThatThrownBy(() -> GatePolicy.parse("{\"smokeTest\": \"false\"}"))
                .isInstanceOf(Misconfigured.class)
                .hasMessage("GREENLIGHT_GATE.smokeTest must be true or false, was \"false\"");
        assertThatThrownBy(() -> GatePolicy.parse("{\"requireSignatureMatch\": 0}"))
                .isInstanceOf(Misconfigured.class)
                .hasMessage("GREENLIGHT_GATE.requireSignatureMatch must be true or false, was 0");
        assertThatThrownBy(() -> GatePolicy.parse("{\"guardrails\": {\"metric\": \"m\"}}"))
                .isInstanceOf(Misconfigured.class)
                .hasMessage("GREENLIGHT_GATE.guardrails must be a list of guardrail objects, was {\"metric\":\"m\"}");
        assertThatThrownBy(() -> GatePolicy.parse("{\"guardrails\": [{\"metric\": \"m\", \"relative\": \"yes\"}]}"))
                .isInstanceOf(Misconfigured.class)
                .hasMessage("GREENLIGHT_GATE.guardrails[0].relative must be true or false, was \"yes\"");
    }

    @Test
    void refuses_values_out_of_range_naming_the_key_and_the_value() {
        assertThatThrownBy(() -> GatePolicy.parse("{\"minImprovement\": -0.1}"))
                .isInstanceOf(Misconfigured.class)
                .hasMessage("GREENLIGHT_GATE.minImprovement must be a number >= 0, was -0.1");
        assertThatThrownBy(() -> GatePolicy.parse("{\"guardrails\": [{\"metric\": \"m\", \"maxRegression\": -1}]}"))
                .isInstanceOf(Misconfigured.class)
                .hasMessage("GREENLIGHT_GATE.guardrails[0].maxRegression must be a number >= 0, was -1.0");
        assertThatThrownBy(() -> GatePolicy.parse("{\"guardrails\": [{\"maxRegression\": 0.1}]}"))
                .isInstanceOf(Misconfigured.class)
                .hasMessage("GREENLIGHT_GATE.guardrails[0].metric must name a metric");
        assertThatThrownBy(() -> GatePolicy.parse("{\"primaryMetric\": \" \"}"))
                .isInstanceOf(Misconfigured.class).hasMessage("GREENLIGHT_GATE.primaryMetric must name a metric");
        assertThatThrownBy(() -> GatePolicy.parse("{\"mode\": \"sometimes\"}"))
                .isInstanceOf(Misconfigured.class)
                .hasMessage("GREENLIGHT_GATE.mode must be auto or manual, was 'sometimes'");
    }

    @Test
    void refuses_what_is_not_one_json_object() {
        assertThatThrownBy(() -> GatePolicy.parse("{\"floor\": 0.9, \"floor\": 0.1}"))
                .isInstanceOf(Misconfigured.class).hasMessageContaining("GREENLIGHT_GATE is not valid JSON")
                .hasMessageContaining("floor");
        assertThatThrownBy(() -> GatePolicy.parse("{\"floor\": 0.9"))
                .isInstanceOf(Misconfigured.class).hasMessageStartingWith("GREENLIGHT_GATE is not valid JSON");
        assertThatThrownBy(() -> GatePolicy.parse("{} {}"))
                .isInstanceOf(Misconfigured.class).hasMessageStartingWith("GREENLIGHT_GATE is not valid JSON");
        assertThatThrownBy(() -> GatePolicy.parse(dir.resolve("missing.json").toString()))
                .isInstanceOf(Misconfigured.class)
                .hasMessageStartingWith("GREENLIGHT_GATE must be a JSON object or the path of a readable JSON file");
    }

    @Test
    void every_message_is_one_line() {
        for (String bad : List.of("{\"minImprovment\": 1}", "{\"floor\": \"x\"}", "{\"floor\": ", "{\"mode\": 3}",
                "{\"guardrails\": [1]}", "{\"guardrails\": [{\"metric\": [\"a\"]}]}")) {
            assertThatThrownBy(() -> GatePolicy.parse(bad)).as(bad).isInstanceOf(Misconfigured.class)
                    .satisfies(e -> assertThat(e.getMessage()).startsWith("GREENLIGHT_GATE").doesNotContain("\n")
                            .doesNotContain("dev.greenlight").doesNotContain("com.fasterxml"));
        }
    }
}
