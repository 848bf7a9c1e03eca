package dev.greenlight.local.host;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The Event Grid webhook as webhook-delivery.md §5 describes the Functions host's. */
class EventGridWebhookTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EVENT_1 = "{\"id\":\"e1\",\"eventType\":\"Microsoft.MachineLearningServices.ModelRegistered\","
            + "\"subject\":\"models/iris:3\",\"data\":{\"modelName\":\"iris\",\"modelVersion\":\"3\"}}";
    private static final String EVENT_2 = "{\"id\":\"e2\",\"eventType\":\"Microsoft.MachineLearningServices.ModelRegistered\","
            + "\"subject\":\"models/iris:4\",\"data\":{\"modelName\":\"iris\",\"modelVersion\":\"4\"}}";
    private static final String FAILING = "{\"id\":\"e3\",\"eventType\":\"x\",\"subject\":\"fail\",\"data\":{}}";

    @TempDir
    static Path tmp;

    private static LocalHost host;
    private static URI base;
    private static String url;
    private LogCapture functionLog;

    @BeforeAll
    static void startHost() throws IOException {
        Path app = TestApp.stage(tmp.resolve("app"));
        host = LocalHost.start(TestApp.options(app, tmp.resolve("data"), Map.of("TICK_SCHEDULE", "0 0 0 1 1 *")));
        base = host.baseUri();
        url = "/runtime/webhooks/eventgrid?functionName=OnEvent&code=" + host.keys().eventGridKey();
    }

    @AfterAll
    static void stopHost() {
        host.close();
    }

    @BeforeEach
    void captureFunctionLog() {
        functionLog = LogCapture.of("Function.OnEvent");
    }

    @AfterEach
    void releaseFunctionLog() {
        functionLog.close();
    }

    private static HttpResponse<String> deliver(String path, String eventType, String body) {
        return eventType == null ? Http.post(base, path, body, "Content-Type", "application/json")
                : Http.post(base, path, body, "Content-Type", "application/json", "aeg-event-type", eventType);
    }

    @Test
    void answers_the_subscription_validation_handshake_with_the_code() throws IOException {
        String validation = "[{\"id\":\"v1\",\"eventType\":\"Microsoft.EventGrid.SubscriptionValidationEvent\","
                + "\"data\":{\"validationCode\":\"512d38b6-c7b8-40c8-89fe-f46f9e9622b6\","
                + "\"validationUrl\":\"https://rp-eastus2.eventgrid.azure.net:553/x\"}}]";

        HttpResponse<String> r = deliver(url, "SubscriptionValidation", validation);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(r.body()).path("validationResponse").asText())
                .isEqualTo("512d38b6-c7b8-40c8-89fe-f46f9e9622b6");
        assertThat(functionLog.drain()).isEmpty();
    }

    @Test
    void answers_validation_of_a_single_event_whose_data_is_double_encoded() throws IOException {
        String validation = "{\"id\":\"v1\",\"type\":\"Microsoft.EventGrid.SubscriptionValidationEvent\","
                + "\"data\":\"{\\\"validationCode\\\":\\\"abc\\\"}\"}";

        HttpResponse<String> r = deliver(url, "SubscriptionValidation", validation);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(r.body()).path("validationResponse").asText()).isEqualTo("abc");
    }

    @Test
    void consents_to_the_cloudevents_options_handshake_echoing_an_event_grid_origin() {
        HttpResponse<String> r = Http.send(base, "OPTIONS", url, null, "WebHook-Request-Origin", "eventgrid.azure.us");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("WebHook-Allowed-Origin")).hasValue("eventgrid.azure.us");
        assertThat(r.headers().firstValue("WebHook-Allowed-Rate")).hasValue("*");
        assertThat(r.headers().firstValue("Allow")).hasValue("POST");
    }

    @Test
    void answers_the_options_handshake_from_another_origin_with_the_public_event_grid_origin() {
        HttpResponse<String> r = Http.send(base, "OPTIONS", url, null, "WebHook-Request-Origin", "evil.example.com");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("WebHook-Allowed-Origin")).hasValue("eventgrid.azure.net");
    }

    @Test
    void invokes_the_function_once_per_event_of_an_array_and_answers_202() throws IOException {
        HttpResponse<String> r = deliver(url, "Notification", "[" + EVENT_1 + "," + EVENT_2 + "]");

        assertThat(r.statusCode()).isEqualTo(202);
        assertThat(functionLog.drain()).hasSize(2).satisfiesExactly(
                m -> assertThat(JSON.readTree(m.substring("event ".length()))).isEqualTo(JSON.readTree(EVENT_1)),
                m -> assertThat(JSON.readTree(m.substring("event ".length()))).isEqualTo(JSON.readTree(EVENT_2)));
    }

    @Test
    void invokes_the_function_for_a_single_event_object() throws IOException {
        HttpResponse<String> r = deliver(url, "Notification", EVENT_1);

        assertThat(r.statusCode()).isEqualTo(202);
        assertThat(functionLog.drain()).singleElement()
                .satisfies(m -> assertThat(JSON.readTree(m.substring("event ".length()))).isEqualTo(JSON.readTree(EVENT_1)));
    }

    @Test
    void compares_the_event_type_header_ignoring_case() {
        assertThat(deliver(url, "notification", EVENT_1).statusCode()).isEqualTo(202);
    }

    @Test
    void answers_500_when_the_function_fails_for_any_event_after_running_the_others() throws IOException {
        HttpResponse<String> r = deliver(url, "Notification", "[" + EVENT_1 + "," + FAILING + "," + EVENT_2 + "]");

        assertThat(r.statusCode()).isEqualTo(500);
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.path("error").asText()).isEqualTo("internal");
        assertThat(body.path("detail").asText()).isEqualTo("OnEvent failed for 1 of 3 events");
        assertThat(functionLog.drain()).hasSize(2);
    }

    @Test
    void logs_a_failure_the_app_classified_as_one_line_and_a_bug_with_its_stack_trace() throws Exception {
        java.util.logging.Logger webhook = java.util.logging.Logger.getLogger(EventGridWebhook.class.getName());
        java.util.List<java.util.logging.LogRecord> records = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Handler handler = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        webhook.addHandler(handler);
        try {
            String outage = "{\"id\":\"e4\",\"eventType\":\"x\",\"subject\":\"outage\",\"data\":{}}";
            assertThat(deliver(url, "Notification", "[" + outage + "]").statusCode()).isEqualTo(500);
            assertThat(deliver(url, "Notification", "[" + FAILING + "]").statusCode()).isEqualTo(500);
        } finally {
            webhook.removeHandler(handler);
        }

        assertThat(records).hasSize(2);
        assertThat(records.get(0).getMessage()).contains("id=e4", "store_unavailable: the store does not answer");
        assertThat(records.get(0).getThrown()).isNull();
        assertThat(records.get(1).getThrown()).isNotNull();
    }

    @Test
    void answers_400_without_or_with_an_unknown_event_type_header() throws IOException {
        HttpResponse<String> missing = deliver(url, null, EVENT_1);
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(missing.body()).path("error").asText()).isEqualTo("bad_request");
        assertThat(deliver(url, "Something", EVENT_1).statusCode()).isEqualTo(400);
        assertThat(functionLog.drain()).isEmpty();
    }

    @Test
    void answers_400_for_malformed_json() {
        assertThat(deliver(url, "Notification", "[{\"id\":").statusCode()).isEqualTo(400);
        assertThat(deliver(url, "Notification", "").statusCode()).isEqualTo(400);
        assertThat(deliver(url, "SubscriptionValidation", "nope").statusCode()).isEqualTo(400);
    }

    @Test
    void answers_202_to_unsubscribe() {
        assertThat(deliver(url, "Unsubscribe", "").statusCode()).isEqualTo(202);
    }

    @Test
    void answers_404_for_an_unknown_missing_or_non_event_grid_function() throws IOException {
        String code = "&code=" + host.keys().eventGridKey();
        HttpResponse<String> unknown = deliver("/runtime/webhooks/eventgrid?functionName=Nope" + code, "Notification", EVENT_1);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(unknown.body()).path("detail").asText()).isEqualTo("cannot find function: 'Nope'");
        assertThat(deliver("/runtime/webhooks/eventgrid?x=1" + code, "Notification", EVENT_1).statusCode()).isEqualTo(404);
        assertThat(deliver("/runtime/webhooks/eventgrid?functionName=Echo" + code, "Notification", EVENT_1).statusCode())
                .isEqualTo(404);
    }

    @Test
    void finds_the_path_and_function_name_ignoring_case() {
        String path = "/runtime/webhooks/EventGrid?functionName=onevent&code=" + host.keys().eventGridKey();
        assertThat(deliver(path, "Notification", EVENT_1).statusCode()).isEqualTo(202);
    }

    @Test
    void requires_the_system_key_or_the_admin_key() {
        String path = "/runtime/webhooks/eventgrid?functionName=OnEvent";
        assertThat(deliver(path, "Notification", EVENT_1).statusCode()).isEqualTo(401);
        assertThat(deliver(path + "&code=" + host.keys().functionKey(), "Notification", EVENT_1).statusCode())
                .isEqualTo(401);
        assertThat(Http.post(base, path, EVENT_1, "aeg-event-type", "Notification",
                "x-functions-key", host.keys().adminKey()).statusCode()).isEqualTo(202);
        assertThat(functionLog.drain()).hasSize(1);
    }
}
