package dev.greenlight.local.host;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.greenlight.local.host.testapp.AppSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The HTTP side of the local host, over real HTTP against the staged test app. */
class LocalHostHttpTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;

    private static LocalHost host;
    private static URI base;
    private static String functionKey;
    private static String adminKey;

    @BeforeAll
    static void startHost() throws IOException {
        Path app = TestApp.stage(tmp.resolve("app"));
        host = LocalHost.start(TestApp.options(app, tmp.resolve("data"),
                Map.of("TICK_SCHEDULE", "0 0 0 1 1 *", "GREETING", "hello from settings")));
        base = host.baseUri();
        functionKey = host.keys().functionKey();
        adminKey = host.keys().adminKey();
    }

    @AfterAll
    static void stopHost() {
        host.close();
    }

    @Test
    void binds_the_route_parameter_body_query_and_headers_of_a_request() throws IOException {
        HttpResponse<String> r = Http.post(base, "/api/echo/iris%20v2?q=one&code=" + functionKey, "hello body",
                "X-Test", "header value");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("x-echo")).hasValue("yes");
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.path("name").asText()).isEqualTo("iris v2");
        assertThat(body.path("method").asText()).isEqualTo("POST");
        assertThat(body.path("body").asText()).isEqualTo("hello body");
        assertThat(body.path("q").asText()).isEqualTo("one");
        assertThat(body.path("header").asText()).isEqualTo("header value");
        assertThat(body.path("function").asText()).isEqualTo("Echo");
        assertThat(body.path("invocationId").asText()).matches("[0-9a-f-]{36}");
        assertThat(body.path("uri").asText()).isEqualTo("/api/echo/iris v2");
    }

    @Test
    void gives_an_empty_optional_body_when_the_request_has_none() throws IOException {
        HttpResponse<String> r = Http.get(base, "/api/echo/x", "x-functions-key", functionKey);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(r.body()).path("body").isNull()).isTrue();
    }

    @Test
    void binds_a_string_body_request_and_a_static_entry_point() {
        assertThat(Http.post(base, "/api/upload", "12345").body()).isEqualTo("5");
        assertThat(Http.post(base, "/api/upload", null).body()).isEqualTo("null");
    }

    @Test
    void rejects_a_function_route_without_a_key_with_401_json() throws IOException {
        HttpResponse<String> r = Http.get(base, "/api/echo/x");

        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(r.body()).path("error").asText()).isEqualTo("unauthorized");
    }

    @Test
    void rejects_a_wrong_key() {
        assertThat(Http.get(base, "/api/echo/x?code=" + functionKey + "x").statusCode()).isEqualTo(401);
        assertThat(Http.get(base, "/api/echo/x", "x-functions-key", "nope").statusCode()).isEqualTo(401);
    }

    @Test
    void accepts_the_function_key_as_code_or_header_and_the_admin_key() {
        assertThat(Http.get(base, "/api/echo/x?code=" + functionKey).statusCode()).isEqualTo(200);
        assertThat(Http.get(base, "/api/echo/x", "x-functions-key", functionKey).statusCode()).isEqualTo(200);
        assertThat(Http.get(base, "/api/echo/x?code=" + adminKey).statusCode()).isEqualTo(200);
    }

    @Test
    void an_admin_route_accepts_only_the_admin_key() {
        assertThat(Http.post(base, "/api/admin/reset", "").statusCode()).isEqualTo(401);
        assertThat(Http.post(base, "/api/admin/reset?code=" + functionKey, "").statusCode()).isEqualTo(401);
        HttpResponse<String> ok = Http.post(base, "/api/admin/reset", "", "x-functions-key", adminKey);
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).isEqualTo("{\"reset\":true}");
    }

    @Test
    void answers_404_json_for_an_unknown_route() throws IOException {
        for (String path : new String[] {"/api/nothing", "/echo/x", "/api/echo", "/api/echo/x/y", "/"}) {
            HttpResponse<String> r = Http.get(base, path + "?code=" + adminKey);
            assertThat(r.statusCode()).as(path).isEqualTo(404);
            JsonNode body = JSON.readTree(r.body());
            assertThat(body.path("error").asText()).isEqualTo("not_found");
            assertThat(body.path("detail").asText()).doesNotContain(adminKey);
        }
    }

    @Test
    void answers_405_with_allow_for_a_known_route_and_another_method() throws IOException {
        HttpResponse<String> r = Http.send(base, "DELETE", "/api/echo/x?code=" + functionKey, null);

        assertThat(r.statusCode()).isEqualTo(405);
        assertThat(r.headers().firstValue("Allow")).hasValue("GET, POST");
        assertThat(JSON.readTree(r.body()).path("error").asText()).isEqualTo("method_not_allowed");
    }

    @Test
    void matches_literal_segments_ignoring_case_and_a_trailing_slash() {
        assertThat(Http.get(base, "/API/Echo/x/?code=" + functionKey).statusCode()).isEqualTo(200);
    }

    @Test
    void applies_int_and_alpha_constraints_and_optional_parameters() {
        assertThat(Http.get(base, "/api/items/42").body()).isEqualTo("42/null");
        assertThat(Http.get(base, "/api/items/42/full").body()).isEqualTo("42/full");
        assertThat(Http.get(base, "/api/items/abc").statusCode()).isEqualTo(404);
        assertThat(Http.get(base, "/api/texts/plain").statusCode()).isEqualTo(200);
        assertThat(Http.get(base, "/api/texts/p1ain").statusCode()).isEqualTo(404);
    }

    @Test
    void maps_a_function_exception_to_500_json_naming_only_the_function() throws IOException {
        HttpResponse<String> r = Http.get(base, "/api/boom");

        assertThat(r.statusCode()).isEqualTo(500);
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.path("error").asText()).isEqualTo("internal");
        assertThat(body.path("detail").asText()).isEqualTo("Boom failed");
        assertThat(r.body()).doesNotContain("kaboom");
    }

    @Test
    void answers_413_from_the_declared_length_before_reading_a_body_over_100_MiB() throws IOException {
        try (Socket socket = new Socket("localhost", host.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/upload HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/plain\r\n"
                    + "Content-Length: " + (100L * 1024 * 1024 + 1) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // No body is sent: the answer can only come from the declared length.
            InputStream in = socket.getInputStream();
            String statusLine = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
            assertThat(statusLine).isEqualTo("HTTP/1.1 413");
        }
    }

    @Test
    void accepts_a_body_just_under_the_limit_in_size_class() {
        String body = "x".repeat(1024 * 1024);
        assertThat(Http.post(base, "/api/upload", body).body()).isEqualTo(String.valueOf(body.length()));
    }

    @Test
    void sets_a_json_content_type_only_for_bodies_that_look_like_json() {
        assertThat(Http.get(base, "/api/texts/plain").headers().firstValue("Content-Type"))
                .hasValue("text/plain; charset=utf-8");
        assertThat(Http.get(base, "/api/texts/json").headers().firstValue("Content-Type"))
                .hasValue("application/json; charset=utf-8");
        assertThat(Http.get(base, "/api/texts/object").body()).isEqualTo("{\"ok\":true}");
        assertThat(Http.get(base, "/api/texts/bytes").headers().firstValue("Content-Type"))
                .hasValue("application/octet-stream");
        HttpResponse<String> none = Http.get(base, "/api/texts/none");
        assertThat(none.statusCode()).isEqualTo(204);
        assertThat(none.headers().firstValue("Content-Type")).isEmpty();
    }

    @Test
    void settings_reach_the_app_through_its_host_settings_hook_only() {
        assertThat(Http.get(base, "/api/settings/GREETING").body()).isEqualTo("hello from settings");
        // The host's own copy of the test app's class was not given them: the app's loader is isolated.
        assertThat(AppSettings.get("GREETING")).isNull();
    }
}
