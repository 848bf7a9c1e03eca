package dev.greenlight.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.greenlight.demo.OnnxGraphs;
import dev.greenlight.errors.BadRequest;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InferenceProtocolTest {
    private static final String ALL_INPUTS = """
            {"id": "req-1", "inputs": [
              {"name": "x", "shape": [2, 3], "datatype": "FP32", "data": [1, 2, 3, 4, 5, 6]},
              {"name": "scale", "shape": [], "datatype": "INT64", "data": [3]},
              {"name": "mask", "shape": [2], "datatype": "BOOL", "data": [true, false]},
              {"name": "ids", "shape": [2], "datatype": "INT32", "data": [10, 20]},
              {"name": "weights", "shape": [2, 2], "datatype": "FP64", "data": [[0.5, 0.5], [1.5, 2.5]]},
              {"name": "names", "shape": [2], "datatype": "BYTES", "data": ["alpha", "beta"]}]}""";

    @TempDir
    Path dir;
    ServingFixture fixture;
    InferenceProtocol protocol;

    @BeforeEach
    void setUp() throws Exception {
        fixture = new ServingFixture(dir, "multi");
        fixture.serve("multi", OnnxGraphs.multiIo());
        protocol = new InferenceProtocol(fixture.cache);
    }

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    @Test
    void describes_inputs_and_outputs_with_datatypes_and_dynamic_dimensions() {
        JsonNode metadata = protocol.metadata("multi").body();

        assertThat(metadata.path("name").asText()).isEqualTo("multi");
        assertThat(metadata.path("versions").toString()).isEqualTo("[\"1\"]");
        assertThat(metadata.path("inputs").toString()).contains(
                "{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[-1,3]}",
                "{\"name\":\"scale\",\"datatype\":\"INT64\",\"shape\":[]}",
                "{\"name\":\"names\",\"datatype\":\"BYTES\",\"shape\":[-1]}");
        assertThat(metadata.path("outputs").size()).isEqualTo(5);
    }

    @Test
    void infers_with_every_datatype_and_returns_flat_outputs_with_shapes() {
        JsonNode response = protocol.infer("multi", ALL_INPUTS).body();

        assertThat(response.path("model_name").asText()).isEqualTo("multi");
        assertThat(response.path("model_version").asText()).isEqualTo("1");
        assertThat(response.path("id").asText()).isEqualTo("req-1");
        JsonNode y = output(response, "y");
        assertThat(y.path("datatype").asText()).isEqualTo("FP32");
        assertThat(y.path("shape").toString()).isEqualTo("[2,3]");
        assertThat(y.path("data").toString()).isEqualTo("[3.0,6.0,9.0,12.0,15.0,18.0]");
        assertThat(output(response, "not_mask").path("data").toString()).isEqualTo("[false,true]");
        assertThat(output(response, "ids_out").path("data").toString()).isEqualTo("[10,20]");
        assertThat(output(response, "weights_sum").path("data").toString()).isEqualTo("[1.0,4.0]");
        assertThat(output(response, "names_out").path("data").toString()).isEqualTo("[\"alpha\",\"beta\"]");
    }

    @Test
    void returns_only_the_outputs_asked_for() {
        String body = ALL_INPUTS.replace("\"id\": \"req-1\",", "\"outputs\": [{\"name\": \"ids_out\"}],");

        JsonNode response = protocol.infer("multi", body).body();

        assertThat(response.path("outputs").size()).isEqualTo(1);
        assertThat(response.path("outputs").get(0).path("name").asText()).isEqualTo("ids_out");
    }

    @Test
    void rejects_a_datatype_that_differs_from_the_model() {
        String body = ALL_INPUTS.replace("\"datatype\": \"INT32\"", "\"datatype\": \"INT64\"");

        assertThatThrownBy(() -> protocol.infer("multi", body))
                .isInstanceOf(BadRequest.class)
                .hasMessage("input 'ids' expects datatype INT32, got INT64");
    }

    @Test
    void rejects_data_that_does_not_fill_the_declared_shape() {
        String body = ALL_INPUTS.replace("[1, 2, 3, 4, 5, 6]", "[1, 2, 3, 4, 5]");

        assertThatThrownBy(() -> protocol.infer("multi", body))
                .isInstanceOf(BadRequest.class)
                .hasMessageContaining("input 'x' with shape [2, 3] needs 6 values, got 5");
    }

    @Test
    void rejects_a_huge_declared_shape_without_allocating_it() {
        String body = ALL_INPUTS.replace("\"shape\": [2, 3]", "\"shape\": [4000000000000, 3]");

        assertThatThrownBy(() -> protocol.infer("multi", body))
                .isInstanceOf(BadRequest.class)
                .hasMessageContaining("needs 12000000000000 values, got 6");
    }

    @Test
    void rejects_a_shape_the_model_does_not_accept() {
        String body = ALL_INPUTS.replace("\"shape\": [2, 3]", "\"shape\": [3, 2]");

        assertThatThrownBy(() -> protocol.infer("multi", body))
                .isInstanceOf(BadRequest.class)
                .hasMessageContaining("input 'x' expects shape [-1, 3]");
    }

    @Test
    void rejects_missing_unknown_and_duplicate_inputs() {
        String missing = ALL_INPUTS.replace(
                "{\"name\": \"scale\", \"shape\": [], \"datatype\": \"INT64\", \"data\": [3]},", "");
        assertThatThrownBy(() -> protocol.infer("multi", missing))
                .isInstanceOf(BadRequest.class).hasMessageContaining("input 'scale' is missing");
        String unknown = ALL_INPUTS.replace("\"name\": \"scale\"", "\"name\": \"scaler\"");
        assertThatThrownBy(() -> protocol.infer("multi", unknown))
                .isInstanceOf(BadRequest.class).hasMessageContaining("'scaler' is not an input");
        String duplicate = ALL_INPUTS.replace("\"name\": \"ids\"", "\"name\": \"mask\"");
        assertThatThrownBy(() -> protocol.infer("multi", duplicate))
                .isInstanceOf(BadRequest.class);
    }

    @Test
    void rejects_integers_out_of_range_and_fractions_in_integer_tensors() {
        assertThatThrownBy(() -> protocol.infer("multi", ALL_INPUTS.replace("[10, 20]", "[10, 3000000000]")))
                .isInstanceOf(BadRequest.class).hasMessageContaining("out of range");
        assertThatThrownBy(() -> protocol.infer("multi", ALL_INPUTS.replace("[10, 20]", "[10, 2.5]")))
                .isInstanceOf(BadRequest.class).hasMessageContaining("expects an integer");
    }

    private static JsonNode output(JsonNode response, String name) {
        for (JsonNode output : response.path("outputs")) {
            if (output.path("name").asText().equals(name)) {
                return output;
            }
        }
        throw new AssertionError("no output " + name + " in " + response);
    }

    @Test
    void refuses_values_that_are_not_finite_in_float_inputs_naming_the_input() {
        assertThatThrownBy(() -> protocol.infer("multi", ALL_INPUTS.replace("[1, 2, 3, 4, 5, 6]", "[1, 2, 1e39, 4, 5, 6]")))
                .isInstanceOf(BadRequest.class)
                .hasMessageContaining("input 'x' (FP32) value #2 is not a finite FP32 number");
        assertThatThrownBy(() -> protocol.infer("multi", ALL_INPUTS.replace("[[0.5, 0.5], [1.5, 2.5]]",
                "[[0.5, 0.5], [-1e400, 2.5]]")))
                .isInstanceOf(BadRequest.class)
                .hasMessageContaining("input 'weights' (FP64) value #2 is not a finite FP64 number");
    }

    @Test
    void quotes_at_most_a_bounded_part_of_long_client_names_and_datatypes() {
        String longText = "q".repeat(100_000);

        assertThatThrownBy(() -> protocol.infer("multi", ALL_INPUTS.replace("\"name\": \"x\"", "\"name\": \"" + longText + "\"")))
                .isInstanceOf(BadRequest.class).hasMessageContaining("qqq…")
                .satisfies(e -> assertThat(e.getMessage().length()).isLessThan(500));
        assertThatThrownBy(() -> protocol.infer("multi", ALL_INPUTS.replace("\"datatype\": \"FP32\"", "\"datatype\": \"" + longText + "\"")))
                .isInstanceOf(BadRequest.class).hasMessageContaining("qqq…")
                .satisfies(e -> assertThat(e.getMessage().length()).isLessThan(500));
        assertThatThrownBy(() -> protocol.infer("multi", ALL_INPUTS.replace("{\"id\": \"req-1\",",
                "{\"id\": \"req-1\", \"outputs\": [{\"name\": \"" + longText + "\"}],")))
                .isInstanceOf(BadRequest.class).hasMessageContaining("qqq…")
                .satisfies(e -> assertThat(e.getMessage().length()).isLessThan(500));
    }
}
