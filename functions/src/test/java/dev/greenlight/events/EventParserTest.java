package dev.greenlight.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Every captured sample in both schemas and both key casings parses to the right event. */
class EventParserTest {
    private final EventParser parser = new EventParser();

    @ParameterizedTest
    @ValueSource(strings = {"eventgrid-schema/ml_model_registered.json", "cloudevents-schema/ml_model_registered.json",
            "rest-api-specs-examples/ml_model_registered.eventgrid.json"})
    void reads_the_documented_model_registered_samples_in_pascal_case_with_a_numeric_version(String file) {
        MlEvent.ModelRegistered event = (MlEvent.ModelRegistered) parser.parse(sample(file)).get(0);

        assertThat(event.model()).isEqualTo("sklearn_regression_model");
        assertThat(event.version()).isEqualTo("20");
        assertThat(event.tags()).containsEntry("area", "diabetes");
        assertThat(event.id()).isNotBlank();
    }

    @Test
    void reads_the_sdk_capture_in_camel_case_with_a_string_version() {
        MlEvent.ModelRegistered event = (MlEvent.ModelRegistered) parser.parse(
                sample("sdk-test-captures/ml_model_registered.json")).get(0);

        assertThat(event.model()).isEqualTo("sklearn_regression_model");
        assertThat(event.version()).isEqualTo("3");
        assertThat(event.id()).isEqualTo("3b73ee51-bbf4-480d-9112-cfc23b41bfdb");
    }

    @ParameterizedTest
    @ValueSource(strings = {"eventgrid-schema/ml_run_completed.json", "cloudevents-schema/ml_run_completed.json",
            "sdk-test-captures/ml_run_completed.json"})
    void reads_run_completed_in_every_form(String file) {
        MlEvent.RunFinished event = (MlEvent.RunFinished) parser.parse(sample(file)).get(0);

        assertThat(event.runId()).isNotBlank();
        assertThat(event.completed()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"eventgrid-schema/ml_run_status_changed.json", "cloudevents-schema/ml_run_status_changed.json",
            "sdk-test-captures/ml_run_status_changed.json"})
    void reads_run_status_changed_with_its_status(String file) {
        MlEvent.RunFinished event = (MlEvent.RunFinished) parser.parse(sample(file)).get(0);

        assertThat(event.runId()).isNotBlank();
        assertThat(event.status()).isNotBlank();
    }

    @ParameterizedTest
    @ValueSource(strings = {"eventgrid-schema/ml_model_deployed.json", "eventgrid-schema/ml_dataset_drift_detected.json",
            "cloudevents-schema/ml_model_deployed.json", "cloudevents-schema/ml_dataset_drift_detected.json",
            "sdk-test-captures/ml_model_deployed.json", "sdk-test-captures/ml_dataset_drift_detected.json",
            "eventgrid-schema/storage_blob_created.json", "cloudevents-schema/storage_blob_created.json",
            "rest-api-specs-examples/storage_blob_created.eventgrid.json",
            "rest-api-specs-examples/storage_blob_created.cloudevents.json",
            "eventgrid-schema/deadletter_blob_created.json", "eventgrid-schema/subscription_validation.json"})
    void acknowledges_types_it_does_not_act_on_as_ignored(String file) {
        List<MlEvent> events = parser.parse(sample(file));

        assertThat(events).isNotEmpty().allSatisfy(e -> assertThat(e).isInstanceOf(MlEvent.Ignored.class));
    }

    @Test
    void rejects_a_delivery_that_is_not_json_or_lacks_fields_as_a_bad_event() {
        assertThatThrownBy(() -> parser.parse("{not json")).isInstanceOf(BadEvent.class);
        assertThatThrownBy(() -> parser.parse("[42]")).isInstanceOf(BadEvent.class);
        assertThatThrownBy(() -> parser.parse("""
                {"id": "e1", "eventType": "Microsoft.MachineLearningServices.ModelRegistered", "subject": "models/x:1",
                 "eventTime": "2024-01-01T00:00:00Z", "data": {"modelName": "x"}, "dataVersion": "1"}"""))
                .isInstanceOf(BadEvent.class).hasMessageContaining("modelVersion");
    }

    private static String sample(String file) {
        try (InputStream in = EventParserTest.class.getResourceAsStream("/events/" + file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException | NullPointerException e) {
            throw new AssertionError("missing sample " + file, e);
        }
    }
}
