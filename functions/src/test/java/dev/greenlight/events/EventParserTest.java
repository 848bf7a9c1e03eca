package dev.greenlight.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import com.fasterxml.jackson.databind.JsonNode;
import dev.greenlight.json.Json;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Every captured sample in both schemas and both key casings parses to the right event. */
class EventParserTest {
    private static final String WORKSPACE =
            "/subscriptions/a5fe3bc5-98f0-4c84-affc-a589f54d9b23/resourceGroups/jenns/providers/Microsoft.MachineLearningServices/workspaces/jenns-canary";
    
    private final EventParser parser = new EventParser(EventScope.of(WORKSPACE));

    @ParameterizedTest
    @ValueSource(strings = {"eventgrid-schema/ml_model_registered.json", "cloudevents-schema/ml_model_registered.json",
            "rest-api-specs-examples/ml_model_registered.eventgrid.json"})
    void reads_the_documented_model_registered_samples_in_pascal_case_with_a_numeric_version(String file) {
        MlEvent.ModelRegistered event = (MlEvent.ModelRegistered) ownScope(file).get(0);

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
        MlEvent.RunFinished event = (MlEvent.RunFinished) ownScope(file).get(0);

        assertThat(event.runId()).isNotBlank();
        assertThat(event.completed()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"eventgrid-schema/ml_run_status_changed.json", "cloudevents-schema/ml_run_status_changed.json",
            "sdk-test-captures/ml_run_status_changed.json"})
    void reads_run_status_changed_with_its_status(String file) {
        MlEvent.RunFinished event = (MlEvent.RunFinished) ownScope(file).get(0);

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
        List<MlEvent> events = ownScope(file);

        assertThat(events).isNotEmpty().allSatisfy(e -> assertThat(e).isInstanceOf(MlEvent.Ignored.class));
    }

    @Test
    void rejects_a_delivery_that_is_not_json_or_holds_no_event_as_a_bad_event() {
        assertThatThrownBy(() -> parser.parse("{not json")).isInstanceOf(BadEvent.class);
        assertThatThrownBy(() -> parser.parse("[]")).isInstanceOf(BadEvent.class);
        assertThatThrownBy(() -> parser.parse("42")).isInstanceOf(BadEvent.class);
    }

    @Test
    void refuses_a_model_registered_without_a_version_with_its_reason() {
        assertThat(parser.parse(registered(WORKSPACE, "e1", "{\"modelName\": \"x\"}")))
                .singleElement().isInstanceOfSatisfying(MlEvent.Refused.class,
                        r -> assertThat(r.reason()).contains("modelVersion"));
    }

    @Test
    void refuses_a_model_registered_from_another_workspace() {
        String other = WORKSPACE.replace("jenns-canary", "someone-else");

        assertThat(parser.parse(registered(other, "e1", data("iris-clf", "\"3\""))))
                .singleElement().isInstanceOfSatisfying(MlEvent.Refused.class, r -> assertThat(r.reason())
                        .contains("someone-else").contains("not from the configured registry"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/", "//", "/subscriptions/a5fe3bc5-98f0-4c84-affc-a589f54d9b23/resourceGroups/jenns",
            "/subscriptions/a5fe3bc5-98f0-4c84-affc-a589f54d9b23/resourceGroups/jenns/providers/Microsoft.MachineLearningServices/workspaces/jenns-canary2",
            "/subscriptions/a5fe3bc5-98f0-4c84-affc-a589f54d9b23/resourceGroups/jenns/providers/Microsoft.MachineLearningServices/registries/jenns-canary"})
    void refuses_any_topic_that_is_not_exactly_the_configured_one(String topic) {
        assertThat(parser.parse(registered(topic, "e1", data("iris-clf", "3"))))
                .singleElement().isInstanceOf(MlEvent.Refused.class);
    }

    @Test
    void compares_the_workspace_id_ignoring_letter_case_and_a_trailing_slash() {
        String shouted = WORKSPACE.toUpperCase(java.util.Locale.ROOT) + "/";

        assertThat(parser.parse(registered(shouted, "e1", data("iris-clf", "3"))))
                .singleElement().isInstanceOf(MlEvent.ModelRegistered.class);
    }

    @Test
    void accepts_an_azure_ml_registry_id_as_the_scope() {
        String registry = "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.MachineLearningServices/registries/shared";
        EventParser shared = new EventParser(EventScope.of(registry));

        assertThat(shared.parse(registered(registry, "e1", data("iris-clf", "3"))))
                .singleElement().isInstanceOf(MlEvent.ModelRegistered.class);
        assertThat(shared.parse(registered(WORKSPACE, "e2", data("iris-clf", "3"))))
                .singleElement().isInstanceOf(MlEvent.Refused.class);
    }

    @Test
    void a_local_registry_accepts_the_topic_the_local_cli_sends_and_nothing_else() {
        EventParser local = new EventParser(EventScope.of(".greenlight/registry"));

        assertThat(local.parse(registered(EventScope.LOCAL_TOPIC, "e1", data("iris-clf", "3"))))
                .singleElement().isInstanceOf(MlEvent.ModelRegistered.class);
        assertThat(local.parse(registered(WORKSPACE, "e2", data("iris-clf", "3"))))
                .singleElement().isInstanceOf(MlEvent.Refused.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"../../x\"", "\"..\"", "\"1..2\"", "\"/etc/passwd\"", "\"a/b\"", "\"a\\\\b\"",
            "\"%2e%2e%2fx\"", "\"..%2f..%2fx\"", "\"\"", "\" 1\"", "\"-1\"", "\".hidden\"", "\"1\\u0000\"",
            "\"vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv\"", "1e400", "-3"})
    void refuses_a_version_that_is_not_a_version_id(String version) {
        assertThat(parser.parse(registered(WORKSPACE, "e1", data("iris-clf", version))))
                .singleElement().isInstanceOfSatisfying(MlEvent.Refused.class,
                        r -> assertThat(r.reason()).containsIgnoringCase("version"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"1\"", "20", "\"2024.01.05\"", "\"v2-rc_1\"",
            "\"vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv\""})
    void accepts_numbers_and_short_version_strings(String version) {
        assertThat(parser.parse(registered(WORKSPACE, "e1", data("iris-clf", version))))
                .singleElement().isInstanceOf(MlEvent.ModelRegistered.class);
    }

    @Test
    void handles_each_event_object_of_a_batch_and_refuses_every_other_element_with_its_reason() {
        String good = registered(WORKSPACE, "good", data("iris-clf", "3"));
        String batch = "[" + good.substring(1, good.length() - 1) + ", 3, \"x\", null, [], "
                + registered(WORKSPACE, "bad", data("iris-clf", "\"../x\"")).replaceAll("^\\[|\\]$", "") + "]";

        List<MlEvent> events = parser.parse(batch);

        assertThat(events).hasSize(6);
        assertThat(events.get(0)).isInstanceOf(MlEvent.ModelRegistered.class);
        assertThat(events.subList(1, 6)).allSatisfy(e -> assertThat(e).isInstanceOf(MlEvent.Refused.class));
        assertThat(((MlEvent.Refused) events.get(1)).reason()).contains("element #1").contains("not an event object");
        assertThat(events.get(1).id()).isEqualTo("#1");
        assertThat(events.get(5).id()).isEqualTo("bad");
    }

    @Test
    void refuses_cloud_events_without_source_or_id_or_of_another_spec_version() {
        String event = """
                {"specversion": "1.0", "id": "c1", "source": "%s", "type": "Microsoft.MachineLearningServices.ModelRegistered",
                 "subject": "models/iris-clf:3", "time": "2026-11-25T00:00:00Z", "data": {"modelName": "iris-clf", "modelVersion": "3"}}"""
                .formatted(WORKSPACE);
        assertThat(parser.parse(event)).singleElement().isInstanceOf(MlEvent.ModelRegistered.class);

        assertThat(refusal(event.replace("\"source\": \"" + WORKSPACE + "\", ", ""))).contains("source");
        assertThat(refusal(event.replace("\"id\": \"c1\", ", ""))).contains("id");
        assertThat(refusal(event.replace("\"1.0\"", "\"0.3\""))).contains("specversion").contains("0.3");
        assertThat(refusal(event.replace("\"1.0\"", "1.0"))).contains("specversion");
    }

    @Test
    void never_quotes_more_than_a_bounded_part_of_a_long_client_value() {
        String longTopic = WORKSPACE + "x".repeat(100_000);

        String reason = refusal(registered(longTopic, "e1", data("iris-clf", "3")));

        assertThat(reason.length()).isLessThan(600);
    }

    private String refusal(String delivery) {
        MlEvent event = parser.parse(delivery).get(0);
        assertThat(event).isInstanceOf(MlEvent.Refused.class);
        return ((MlEvent.Refused) event).reason();
    }

    private static String data(String model, String versionJson) {
        return "{\"modelName\": \"" + model + "\", \"modelVersion\": " + versionJson + "}";
    }

    private static String registered(String topic, String id, String data) {
        return """
                [{"id": "%s", "topic": "%s", "subject": "models/x:1",
                  "eventType": "Microsoft.MachineLearningServices.ModelRegistered", "eventTime": "2026-11-25T00:00:00Z",
                  "data": %s, "dataVersion": "2", "metadataVersion": "1"}]""".formatted(id, topic, data);
    }

    /** Parses a sample with the scope set to the sample's own topic (or source). */
    private static List<MlEvent> ownScope(String file) {
        String json = sample(file);
        try {
            JsonNode first = Json.MAPPER.readTree(json);
            first = first.isArray() ? first.get(0) : first;
            String origin = first.has("topic") ? first.get("topic").asText() : first.get("source").asText();
            return new EventParser(EventScope.of(origin)).parse(json);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static String sample(String file) {
        try (InputStream in = EventParserTest.class.getResourceAsStream("/events/" + file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException | NullPointerException e) {
            throw new AssertionError("missing sample " + file, e);
        }
    }
}
