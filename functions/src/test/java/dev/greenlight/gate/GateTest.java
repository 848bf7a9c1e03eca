package dev.greenlight.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.greenlight.errors.Misconfigured;
import dev.greenlight.serving.DataType;
import dev.greenlight.serving.ModelSignature;
import dev.greenlight.serving.TensorSpec;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class GateTest {
    private static final ModelSignature IRIS = new ModelSignature(
            List.of(new TensorSpec("features", DataType.FP32, new long[] {-1, 4})),
            List.of(new TensorSpec("probabilities", DataType.FP32, new long[] {-1, 3})));
    private final Gate gate = new Gate(GatePolicy.defaults());

    private static Candidate candidate(String version, Map<String, String> metrics, ModelSignature signature) {
        return new Candidate(version, metrics, Optional.of(signature), Optional.empty());
    }

    @Test
    void promotes_a_first_version_that_passes_the_floor() {
        Gate.Verdict verdict = gate.judge(candidate("1", Map.of("f1", "0.8857"), IRIS), Optional.empty());

        assertThat(verdict.passed()).isTrue();
        assertThat(verdict.checks()).extracting(Check::name).containsExactly("floor", "smoke");
    }

    @Test
    void rejects_a_candidate_below_the_floor_with_the_observed_value() {
        Gate.Verdict verdict = gate.judge(candidate("3", Map.of("f1", "0.8086"), IRIS),
                Optional.of(candidate("1", Map.of("f1", "0.8857"), IRIS)));

        assertThat(verdict.passed()).isFalse();
        assertThat(verdict.failures()).extracting(Check::name).containsExactly("floor", "margin");
        assertThat(verdict.failures().get(0).observed()).isEqualTo("f1=0.8086");
    }

    @Test
    void requires_beating_the_baseline_by_the_configured_margin() {
        Gate strict = new Gate(new GatePolicy("f1", true, 0.85, 0.05, List.of(), true, true, GatePolicy.Mode.AUTO));

        Gate.Verdict verdict = strict.judge(candidate("2", Map.of("f1", "0.90"), IRIS),
                Optional.of(candidate("1", Map.of("f1", "0.88"), IRIS)));

        assertThat(verdict.passed()).isFalse();
        assertThat(verdict.failures().get(0).name()).isEqualTo("margin");
    }

    @Test
    void a_missing_metric_is_a_rejection_not_a_crash() {
        Gate.Verdict verdict = gate.judge(candidate("2", Map.of("accuracy", "0.99"), IRIS), Optional.empty());

        assertThat(verdict.passed()).isFalse();
        assertThat(verdict.failures().get(0).observed()).isEqualTo("f1 missing");
    }

    @Test
    void a_guardrail_regression_beyond_its_bound_rejects() {
        Gate guarded = new Gate(GatePolicy.parse("""
                {"guardrails": [{"metric": "latency_p95_ms", "maxRegression": 0.10, "relative": true}]}"""));

        Gate.Verdict verdict = guarded.judge(candidate("2", Map.of("f1", "0.95", "latency_p95_ms", "12"), IRIS),
                Optional.of(candidate("1", Map.of("f1", "0.90", "latency_p95_ms", "10"), IRIS)));

        assertThat(verdict.passed()).isFalse();
        assertThat(verdict.failures()).extracting(Check::name).containsExactly("guardrail:latency_p95_ms");
        assertThat(verdict.failures().get(0).observed()).contains("regression 20%");
    }

    @Test
    void a_different_signature_rejects_and_names_the_difference() {
        ModelSignature wider = new ModelSignature(
                List.of(new TensorSpec("features", DataType.FP32, new long[] {-1, 5})), IRIS.outputs());

        Gate.Verdict verdict = gate.judge(candidate("2", Map.of("f1", "0.95"), wider),
                Optional.of(candidate("1", Map.of("f1", "0.90"), IRIS)));

        assertThat(verdict.failures()).extracting(Check::name).containsExactly("signature");
        assertThat(verdict.failures().get(0).observed()).contains("'features'", "[-1, 5]", "[-1, 4]");
    }

    @Test
    void an_unloadable_candidate_fails_the_smoke_check_with_the_reason() {
        Candidate broken = new Candidate("2", Map.of("f1", "0.99"), Optional.empty(), Optional.of("invalid protobuf"));

        Gate.Verdict verdict = gate.judge(broken, Optional.empty());

        assertThat(verdict.failures()).extracting(Check::name).containsExactly("smoke");
        assertThat(verdict.failures().get(0).observed()).contains("invalid protobuf");
    }

    @Test
    void a_bad_policy_names_the_field_and_value() {
        assertThatThrownBy(() -> GatePolicy.parse("{\"floor\": \"high\"}"))
                .isInstanceOf(Misconfigured.class).hasMessage("GREENLIGHT_GATE.floor must be a number, was \"high\"");
        assertThatThrownBy(() -> GatePolicy.parse("{\"mode\": \"sometimes\"}"))
                .isInstanceOf(Misconfigured.class).hasMessageContaining("GREENLIGHT_GATE.mode");
    }

    @Test
    void a_margin_of_exactly_the_minimum_improvement_passes_and_is_printed_as_written() {
        Gate gate = new Gate(GatePolicy.parse("{\"floor\": 0.5, \"minImprovement\": 0.01, \"smokeTest\": false,"
                + " \"requireSignatureMatch\": false}"));
        Candidate candidate = new Candidate("2", java.util.Map.of("f1", "0.57"), java.util.Optional.empty(),
                java.util.Optional.empty());
        Candidate baseline = new Candidate("1", java.util.Map.of("f1", "0.56"), java.util.Optional.empty(),
                java.util.Optional.empty());

        Gate.Verdict verdict = gate.judge(candidate, java.util.Optional.of(baseline));

        Check margin = verdict.checks().stream().filter(c -> c.name().equals("margin")).findFirst().orElseThrow();
        org.assertj.core.api.Assertions.assertThat(margin.passed()).isTrue();
        org.assertj.core.api.Assertions.assertThat(margin.observed()).endsWith("(improvement 0.01)");
    }
}
