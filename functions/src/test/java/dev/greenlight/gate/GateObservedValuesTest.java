package dev.greenlight.gate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.greenlight.serving.DataType;
import dev.greenlight.serving.ModelSignature;
import dev.greenlight.serving.TensorSpec;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A decision's observed values show why it went the way it did: never rounded onto the threshold. */
class GateObservedValuesTest {
    private static final ModelSignature IRIS = new ModelSignature(
            List.of(new TensorSpec("features", DataType.FP32, new long[] {-1, 4})),
            List.of(new TensorSpec("probabilities", DataType.FP32, new long[] {-1, 3})));

    private static Candidate candidate(String version, Map<String, String> metrics) {
        return new Candidate(version, metrics, Optional.of(IRIS), Optional.empty());
    }

    @Test
    void a_value_just_under_the_floor_prints_every_digit_that_makes_it_fail() {
        Gate gate = new Gate(GatePolicy.defaults());

        Check floor = gate.judge(candidate("2", Map.of("f1", "0.84999")), Optional.empty()).checks().get(0);

        assertThat(floor.passed()).isFalse();
        assertThat(floor.observed()).isEqualTo("f1=0.84999");
        assertThat(floor.required()).isEqualTo(">= 0.85");
    }

    @Test
    void a_margin_missed_by_a_hair_shows_the_improvement_that_was_compared() {
        Gate gate = new Gate(new GatePolicy("f1", true, 0.5, 0.01, List.of(), false, false, GatePolicy.Mode.AUTO));

        Check margin = gate.judge(candidate("2", Map.of("f1", "0.90999")), Optional.of(candidate("1", Map.of("f1", "0.9"))))
                .checks().get(1);

        assertThat(margin.passed()).isFalse();
        assertThat(margin.observed()).isEqualTo("f1=0.90999 vs baseline 1 0.9 (improvement " + (0.90999 - 0.9) + ")");
        assertThat(margin.required()).isEqualTo("improvement >= 0.01");
    }

    @Test
    void a_relative_guardrail_reads_in_percent_without_padding_or_rounding() {
        Gate gate = new Gate(GatePolicy.parse("""
                {"guardrails": [{"metric": "latency_p95_ms", "maxRegression": 0.10, "relative": true}]}"""));

        Check guardrail = gate.judge(candidate("2", Map.of("f1", "0.95", "latency_p95_ms", "12.5")),
                Optional.of(candidate("1", Map.of("f1", "0.90", "latency_p95_ms", "10")))).checks().get(2);

        assertThat(guardrail.passed()).isFalse();
        assertThat(guardrail.observed()).isEqualTo("latency_p95_ms=12.5 vs baseline 10 (regression 25%)");
        assertThat(guardrail.required()).isEqualTo("regression <= 10%");
    }
}
