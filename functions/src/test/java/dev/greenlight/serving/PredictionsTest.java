package dev.greenlight.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.greenlight.demo.DemoModels;
import dev.greenlight.demo.OnnxGraphs;
import dev.greenlight.errors.BadRequest;
import dev.greenlight.errors.NotFound;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PredictionsTest {
    @TempDir
    Path dir;
    ServingFixture fixture;
    Predictions predictions;

    @BeforeEach
    void setUp() throws Exception {
        fixture = new ServingFixture(dir, "iris-clf", "multi", "fixed");
        fixture.serve("iris-clf", DemoModels.bytes("iris-clf-2.onnx"));
        fixture.serve("multi", OnnxGraphs.multiIo());
        fixture.serve("fixed", OnnxGraphs.fixedBatch());
        predictions = new Predictions(fixture.cache);
    }

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    @Test
    void classifies_iris_rows_with_labels_and_names_model_and_version() {
        ModelAnswer answer = predictions.predict(null,
                "{\"instances\": [[5.1, 3.5, 1.4, 0.2], [6.7, 3.0, 5.2, 2.3]]}");

        assertThat(answer.model()).isEqualTo("iris-clf");
        assertThat(answer.version()).isEqualTo("1");
        assertThat(answer.body().path("version").asText()).isEqualTo("1");
        JsonNode first = answer.body().path("predictions").get(0);
        assertThat(first.path("label").asText()).isEqualTo("Iris-setosa");
        assertThat(first.path("scores").size()).isEqualTo(3);
        assertThat(answer.body().path("predictions").get(1).path("label").asText()).isEqualTo("Iris-virginica");
    }

    @Test
    void feeds_every_input_of_a_multi_input_model_from_named_instances() {
        ModelAnswer answer = predictions.predict("multi", """
                {"instances": [
                  {"x": [1, 2, 3], "scale": 2, "mask": true, "ids": 7, "weights": [0.5, 0.25], "names": "a"},
                  {"x": [4, 5, 6], "scale": 2, "mask": false, "ids": 8, "weights": [1, 2], "names": "b"}]}""");

        JsonNode second = answer.body().path("predictions").get(1);
        assertThat(second.path("y").toString()).isEqualTo("[8.0,10.0,12.0]");
        assertThat(second.path("not_mask").asBoolean()).isTrue();
        assertThat(second.path("ids_out").asInt()).isEqualTo(8);
        assertThat(second.path("weights_sum").asDouble()).isEqualTo(3.0);
        assertThat(second.path("names_out").asText()).isEqualTo("b");
    }

    @Test
    void runs_fixed_batch_models_one_instance_at_a_time() {
        ModelAnswer answer = predictions.predict("fixed", "{\"instances\": [[1, 2, 3, 4], [5, 6, 7, 8]]}");

        assertThat(answer.body().path("predictions").toString()).isEqualTo("[[1.0,2.0,3.0,4.0],[5.0,6.0,7.0,8.0]]");
    }

    @Test
    void rejects_a_row_of_the_wrong_width_naming_the_input_and_shape() {
        assertThatThrownBy(() -> predictions.predict(null, "{\"instances\": [[5.1, 3.5, 1.4]]}"))
                .isInstanceOf(BadRequest.class)
                .hasMessageContaining("input 'features'")
                .hasMessageContaining("[-1, 4]")
                .hasMessageContaining("[1, 3]");
    }

    @Test
    void rejects_a_non_numeric_value_in_a_numeric_tensor() {
        assertThatThrownBy(() -> predictions.predict(null, "{\"instances\": [[5.1, \"wide\", 1.4, 0.2]]}"))
                .isInstanceOf(BadRequest.class)
                .hasMessageContaining("expects a number");
    }

    @Test
    void rejects_missing_and_unknown_inputs_by_name() {
        assertThatThrownBy(() -> predictions.predict("multi", "{\"instances\": [{\"x\": [1, 2, 3]}]}"))
                .isInstanceOf(BadRequest.class)
                .hasMessageContaining("missing input 'scale'");
        assertThatThrownBy(() -> predictions.predict("multi", """
                {"instances": [{"x": [1, 2, 3], "scale": 2, "mask": true, "ids": 7, "weights": [0.5, 0.25],
                                "names": "a", "colour": 1}]}"""))
                .isInstanceOf(BadRequest.class)
                .hasMessageContaining("'colour'");
    }

    @Test
    void rejects_malformed_json_and_missing_instances() {
        assertThatThrownBy(() -> predictions.predict(null, "{\"instances\": [[1, 2"))
                .isInstanceOf(BadRequest.class).hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> predictions.predict(null, "{\"rows\": []}"))
                .isInstanceOf(BadRequest.class).hasMessageContaining("\"instances\"");
    }

    @Test
    void answers_not_found_for_a_model_that_is_not_served() {
        assertThatThrownBy(() -> predictions.predict("nope", "{\"instances\": [[1, 2, 3, 4]]}"))
                .isInstanceOf(NotFound.class)
                .hasMessageContaining("'nope'");
    }

    @Test
    void counts_requests_and_errors_per_loaded_version() {
        predictions.predict(null, "{\"instances\": [[5.1, 3.5, 1.4, 0.2]]}");
        try {
            predictions.predict(null, "{\"instances\": [[5.1]]}");
        } catch (BadRequest expected) {
            // counted below
        }

        LoadedModel loaded = fixture.cache.status().get(0).serving().orElseThrow();
        assertThat(loaded.requests()).isEqualTo(2);
        assertThat(loaded.errors()).isEqualTo(1);
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"1e400", "-1e400", "1e39", "-3.5e38"})
    void refuses_a_value_that_is_not_a_finite_float_naming_the_input(String value) {
        assertThatThrownBy(() -> predictions.predict(null, "{\"instances\": [[5.1, " + value + ", 1.4, 0.2]]}"))
                .isInstanceOfSatisfying(BadRequest.class, e -> assertThat(e.code()).isEqualTo("invalid_value"))
                .hasMessageContaining("input '")
                .hasMessageContaining("value #1 is not a finite FP32 number");
    }

    @Test
    void still_accepts_the_largest_finite_float() {
        ModelAnswer answer = predictions.predict(null, "{\"instances\": [[5.1, 3.4e38, 1.4, 0.2]]}");

        assertThat(answer.body().path("predictions").size()).isEqualTo(1);
    }

    @Test
    void quotes_at_most_a_bounded_part_of_a_long_unknown_input_name() {
        String longName = "c".repeat(50_000);

        assertThatThrownBy(() -> predictions.predict("multi", "{\"instances\": [{\"x\": [1, 2, 3], \"" + longName
                + "\": 1}]}"))
                .isInstanceOf(BadRequest.class)
                .hasMessageContaining("ccc…")
                .satisfies(e -> assertThat(e.getMessage().length()).isLessThan(500));
    }
}
