package dev.greenlight.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LatencyRecorderTest {

    @Test
    void percentiles_are_nearest_rank_in_microseconds() {
        LatencyRecorder recorder = new LatencyRecorder();
        for (int i = 100; i >= 1; i--) {
            recorder.record(i * 1_000L);
        }

        LatencyRecorder.Summary summary = recorder.summary();

        assertThat(summary.count()).isEqualTo(100);
        assertThat(summary.p50()).isEqualTo(50.0);
        assertThat(summary.p99()).isEqualTo(99.0);
        assertThat(summary.p999()).isEqualTo(100.0);
        assertThat(summary.max()).isEqualTo(100.0);
        assertThat(summary.mean()).isEqualTo(50.5);
    }

    @Test
    void merge_keeps_every_value_of_every_part_beyond_the_initial_capacity() {
        LatencyRecorder a = new LatencyRecorder();
        LatencyRecorder b = new LatencyRecorder();
        for (int i = 0; i < 40_000; i++) {
            a.record(1_000);
        }
        b.record(9_000_000);

        LatencyRecorder.Summary merged = LatencyRecorder.merge(List.of(a, b)).summary();

        assertThat(merged.count()).isEqualTo(40_001);
        assertThat(merged.p99()).isEqualTo(1.0);
        assertThat(merged.max()).isEqualTo(9_000.0);
    }

    @Test
    void rank_of_one_value_is_that_value_and_of_none_is_zero() {
        assertThat(LatencyRecorder.rank(new long[] {7}, 50)).isEqualTo(7);
        assertThat(LatencyRecorder.rank(new long[] {7}, 99.9)).isEqualTo(7);
        assertThat(LatencyRecorder.rank(new long[0], 50)).isZero();
    }

    @Test
    void an_empty_recorder_summarises_to_zeros() {
        assertThat(new LatencyRecorder().summary())
                .isEqualTo(new LatencyRecorder.Summary(0, 0, 0, 0, 0, 0, 0));
    }
}
