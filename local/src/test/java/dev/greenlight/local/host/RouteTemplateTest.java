package dev.greenlight.local.host;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Route templates as the Functions host reads them, matched against request paths. */
class RouteTemplateTest {

    private static Map<String, String> match(String prefix, String route, String path) {
        return RouteTemplate.parse(prefix, route, "F").match(RouteTemplate.splitPath(path));
    }

    @Test
    void binds_parameters_after_the_prefix() {
        assertThat(match("api", "v2/models/{model}/infer", "/api/v2/models/iris/infer"))
                .containsExactly(Map.entry("model", "iris"));
        assertThat(match("api", "v2/models/{model}/infer", "/api/v2/models/iris")).isNull();
        assertThat(match("api", "v2/models/{model}/infer", "/v2/models/iris/infer")).isNull();
    }

    @Test
    void matches_literals_ignoring_case_and_ignores_empty_segments() {
        assertThat(match("api", "health", "/API/Health/")).isEmpty();
        assertThat(match("api", "health", "//api//health")).isEmpty();
    }

    @Test
    void works_with_an_empty_prefix_and_a_multi_segment_prefix() {
        assertThat(match("", "health", "/health")).isEmpty();
        assertThat(match("x/y", "health", "/x/y/health")).isEmpty();
        assertThat(match("api", "", "/api")).isEmpty();
    }

    @Test
    void decodes_percent_escapes_in_segments() {
        assertThat(match("api", "m/{name}", "/api/m/a%20b%2Fc%C3%A9")).containsExactly(Map.entry("name", "a b/cé"));
    }

    @Test
    void handles_optional_default_and_catch_all_parameters() {
        assertThat(match("api", "items/{id}/{view?}", "/api/items/1")).containsExactly(Map.entry("id", "1"));
        assertThat(match("api", "items/{id}/{view?}", "/api/items/1/full"))
                .containsEntry("id", "1").containsEntry("view", "full");
        assertThat(match("api", "items/{id}/{view=summary}", "/api/items/1")).containsEntry("view", "summary");
        assertThat(match("api", "files/{*path}", "/api/files/a/b/c")).containsExactly(Map.entry("path", "a/b/c"));
        assertThat(match("api", "files/{*path}", "/api/files")).containsExactly(Map.entry("path", ""));
    }

    @Test
    void checks_int_and_alpha_constraints_and_accepts_others() {
        assertThat(match("api", "items/{id:int}", "/api/items/-12")).containsExactly(Map.entry("id", "-12"));
        assertThat(match("api", "items/{id:int}", "/api/items/12a")).isNull();
        assertThat(match("api", "items/{id:long:min(1)}", "/api/items/7")).isNotNull();
        assertThat(match("api", "tags/{t:alpha}", "/api/tags/abc")).isNotNull();
        assertThat(match("api", "tags/{t:alpha}", "/api/tags/ab1")).isNull();
        assertThat(match("api", "ids/{id:guid}", "/api/ids/anything")).isNotNull();
    }

    @Test
    void orders_literal_before_constrained_before_plain_before_catch_all() {
        List<RouteTemplate> templates = new ArrayList<>(List.of(
                RouteTemplate.parse("api", "m/{*rest}", "A"),
                RouteTemplate.parse("api", "m/{name}", "B"),
                RouteTemplate.parse("api", "m/{id:int}", "C"),
                RouteTemplate.parse("api", "m/latest", "D")));

        templates.sort(RouteTemplate::comparePrecedence);

        assertThat(templates).extracting(RouteTemplate::text)
                .containsExactly("api/m/latest", "api/m/{id:int}", "api/m/{name}", "api/m/{*rest}");
    }

    @Test
    void rejects_templates_it_cannot_match_naming_the_function() {
        assertThatThrownBy(() -> RouteTemplate.parse("api", "files/{name}.{ext}", "Files"))
                .isInstanceOf(LocalHostException.class)
                .hasMessageStartingWith("function Files: route api/files/{name}.{ext}");
        assertThatThrownBy(() -> RouteTemplate.parse("api", "a/{x?}/b", "Opt"))
                .hasMessageContaining("only trailing parameters can be optional");
        assertThatThrownBy(() -> RouteTemplate.parse("api", "{*all}/b", "Rest"))
                .hasMessageContaining("catch-all");
    }
}
