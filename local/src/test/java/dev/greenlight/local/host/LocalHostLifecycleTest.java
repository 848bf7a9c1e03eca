package dev.greenlight.local.host;

import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import dev.greenlight.local.host.testapp.AppSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Loading, settings, keys across restarts, startup errors and shutdown. */
class LocalHostLifecycleTest {

    private static final Map<String, String> ENV = Map.of("TICK_SCHEDULE", "0 0 0 1 1 *");

    @TempDir
    Path tmp;

    private Path app() throws IOException {
        return TestApp.stage(tmp.resolve("app"));
    }

    @Test
    void starts_on_a_free_port_and_refuses_connections_after_close() throws IOException {
        LocalHost host = LocalHost.start(TestApp.options(app(), tmp.resolve("data"), ENV));
        URI base = host.baseUri();
        assertThat(host.port()).isPositive();
        assertThat(Http.get(base, "/api/texts/plain").statusCode()).isEqualTo(200);

        host.close();
        host.close(); // idempotent

        assertThatThrownBy(() -> Http.get(base, "/api/texts/plain"))
                .isInstanceOf(UncheckedIOException.class).hasCauseInstanceOf(ConnectException.class);
    }

    @Test
    void keeps_its_generated_keys_across_restarts() throws IOException {
        Path app = app();
        String functionKey;
        try (LocalHost first = LocalHost.start(TestApp.options(app, tmp.resolve("data"), ENV))) {
            functionKey = first.keys().functionKey();
        }
        try (LocalHost second = LocalHost.start(TestApp.options(app, tmp.resolve("data"), ENV))) {
            assertThat(second.keys().functionKey()).isEqualTo(functionKey);
            assertThat(Http.get(second.baseUri(), "/api/echo/x?code=" + functionKey).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void gives_the_app_local_settings_values_with_the_environment_winning() throws IOException {
        Path settings = Files.writeString(tmp.resolve("local.settings.json"),
                "{\"IsEncrypted\": false, \"Values\": {\"GREETING\": \"from file\", \"COLOUR\": \"blue\","
                        + " \"TICK_SCHEDULE\": \"0 0 0 1 1 *\"}}");
        LocalHost.Options options = TestApp.options(app(), tmp.resolve("data"), Map.of("COLOUR", "green"))
                .withSettingsFile(settings);
        try (LocalHost host = LocalHost.start(options)) {
            assertThat(Http.get(host.baseUri(), "/api/settings/GREETING").body()).isEqualTo("from file");
            assertThat(Http.get(host.baseUri(), "/api/settings/COLOUR").body()).isEqualTo("green");
            assertThat(Http.get(host.baseUri(), "/api/settings/ABSENT").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void uses_the_route_prefix_of_host_json() throws IOException {
        Path app = TestApp.stage(tmp.resolve("app"), "", TestApp.FUNCTIONS);
        try (LocalHost host = LocalHost.start(TestApp.options(app, tmp.resolve("data"), ENV))) {
            assertThat(host.routePrefix()).isEmpty();
            assertThat(Http.get(host.baseUri(), "/texts/plain").statusCode()).isEqualTo(200);
            assertThat(Http.get(host.baseUri(), "/api/texts/plain").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void defaults_the_route_prefix_to_api_and_the_route_to_the_function_name() throws IOException {
        Map<String, String> functions = Map.of("Upload", TestApp.function("Upload",
                "{ \"type\" : \"httpTrigger\", \"direction\" : \"in\", \"name\" : \"req\", \"authLevel\" : \"ANONYMOUS\" }"));
        Path app = TestApp.stage(tmp.resolve("app"), null, functions);
        try (LocalHost host = LocalHost.start(TestApp.options(app, tmp.resolve("data"), Map.of()))) {
            assertThat(Http.post(host.baseUri(), "/api/Upload", "abc").body()).isEqualTo("3");
            assertThat(Http.send(host.baseUri(), "PUT", "/api/upload", "abcd").body()).isEqualTo("4"); // no methods: any
        }
    }

    @Test
    void skips_a_function_disabled_by_its_setting() throws IOException {
        Map<String, String> env = new LinkedHashMap<>(ENV);
        env.put("AzureWebJobs.Boom.Disabled", "true");
        try (LocalHost host = LocalHost.start(TestApp.options(app(), tmp.resolve("data"), env))) {
            assertThat(host.functions()).extracting(FunctionDefinition::name).doesNotContain("Boom").contains("Echo");
            assertThat(Http.get(host.baseUri(), "/api/boom").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void fails_to_start_naming_a_parameter_it_cannot_bind() throws IOException {
        Path app = app();
        TestApp.writeFunction(app, "Unbindable", TestApp.http("Unbindable", "unbindable", "\"GET\"", "ANONYMOUS"));

        assertThatThrownBy(() -> LocalHost.start(TestApp.options(app, tmp.resolve("data"), ENV)))
                .isInstanceOf(LocalHostException.class)
                .hasMessageContaining("function Unbindable")
                .hasMessageContaining("cannot bind parameter #1 (int retries)");
    }

    @Test
    void fails_to_start_naming_a_missing_entry_point_class() throws IOException {
        Path app = app();
        TestApp.writeFunction(app, "Ghost", TestApp.http("Ghost", "ghost", "\"GET\"", "ANONYMOUS"));

        assertThatThrownBy(() -> LocalHost.start(TestApp.options(app, tmp.resolve("data"), ENV)))
                .isInstanceOf(LocalHostException.class)
                .hasMessageContaining("function Ghost")
                .hasMessageContaining("cannot load class dev.greenlight.local.host.testapp.Ghost");
    }

    @Test
    void fails_to_start_when_two_functions_claim_one_route_and_method() throws IOException {
        Path app = app();
        TestApp.writeFunction(app, "Texts2", TestApp.http("Texts", "TEXTS/{other:alpha}", "\"GET\"", "ANONYMOUS"));

        assertThatThrownBy(() -> LocalHost.start(TestApp.options(app, tmp.resolve("data"), ENV)))
                .isInstanceOf(LocalHostException.class)
                .hasMessageContaining("both serve route");
    }

    @Test
    void fails_to_start_without_an_app_folder_or_functions() throws IOException {
        assertThatThrownBy(() -> LocalHost.start(TestApp.options(tmp.resolve("absent"), tmp.resolve("data"), ENV)))
                .isInstanceOf(LocalHostException.class).hasMessageContaining("does not exist");
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        assertThatThrownBy(() -> LocalHost.start(TestApp.options(empty, tmp.resolve("data"), ENV)))
                .isInstanceOf(LocalHostException.class).hasMessageContaining("no enabled function");
    }

    @Test
    void fails_to_start_on_a_port_in_use() throws IOException {
        Path app = app();
        try (LocalHost first = LocalHost.start(TestApp.options(app, tmp.resolve("data"), ENV))) {
            assertThatThrownBy(() -> LocalHost.start(TestApp.options(app, tmp.resolve("data"), ENV)
                    .withPort(first.port())))
                    .isInstanceOf(LocalHostException.class).hasMessageContaining("in use");
        }
    }

    @Test
    void writes_access_lines_without_query_strings() throws IOException {
        List<String> lines = new CopyOnWriteArrayList<>();
        LocalHost host = LocalHost.load(TestApp.options(app(), tmp.resolve("data"), ENV).withAccessLog(true))
                .accessLogTo(lines::add).start();
        String key = host.keys().functionKey();
        Http.get(host.baseUri(), "/api/echo/x?code=" + key);
        Http.get(host.baseUri(), "/api/missing?code=" + key);
        host.close();

        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).matches("GET /api/echo/x 200 \\d+ Echo");
        assertThat(lines.get(1)).matches("GET /api/missing 404 \\d+ -");
        assertThat(String.join("\n", lines)).doesNotContain(key);
    }

    @Test
    void shares_the_azure_functions_types_with_the_app_and_isolates_everything_else() throws Exception {
        Path app = app();
        try (AppClassLoader loader = AppClassLoader.create(app, List.of(app.resolve(TestApp.JAR)),
                LocalHost.class.getClassLoader())) {
            assertThat(loader.loadClass(HttpRequestMessage.class.getName())).isSameAs(HttpRequestMessage.class);
            assertThat(loader.loadClass(HttpTrigger.class.getName())).isSameAs(HttpTrigger.class);
            Class<?> appSettings = loader.loadClass(AppSettings.class.getName());
            assertThat(appSettings).isNotSameAs(AppSettings.class);
            assertThat(appSettings.getClassLoader()).isSameAs(loader);
            assertThat(loader.loadClass("dev.greenlight.config.HostSettings").getClassLoader()).isSameAs(loader);
            assertThatThrownBy(() -> loader.loadClass(LocalHost.class.getName()))
                    .isInstanceOf(ClassNotFoundException.class);
        }
    }

    @Test
    void describes_each_function_without_keys() throws IOException {
        try (LocalHost host = LocalHost.start(TestApp.options(app(), tmp.resolve("data"), ENV))) {
            assertThat(host.describeFunctions())
                    .contains("Echo: [GET, POST] " + host.baseUri() + "/api/echo/{name}")
                    .contains("OnEvent: eventGridTrigger " + host.baseUri()
                            + "/runtime/webhooks/eventgrid?functionName=OnEvent")
                    .contains("Tick: timerTrigger 0 0 0 1 1 *");
            assertThat(String.join("\n", host.describeFunctions())).doesNotContain(host.keys().adminKey());
        }
    }

    @Test
    void validates_its_options() {
        assertThatThrownBy(() -> LocalHost.Options.of(tmp).withPort(70000))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("port must be in [0, 65535], was 70000");
        assertThat(LocalHost.Options.of(tmp).dataDir()).isEqualTo(Path.of(".greenlight"));
    }
}
