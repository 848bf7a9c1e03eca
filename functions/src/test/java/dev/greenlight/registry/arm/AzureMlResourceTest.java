package dev.greenlight.registry.arm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class AzureMlResourceTest {
    private static final String WS =
            "/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/test-rg/providers/Microsoft.MachineLearningServices/workspaces/my-aml-workspace";

    @Test
    void parses_a_workspace_id() {
        AzureMlResource r = AzureMlResource.parse(WS);

        assertThat(r.kind()).isEqualTo(AzureMlResource.Kind.WORKSPACE);
        assertThat(r.subscriptionId()).isEqualTo("00000000-1111-2222-3333-444444444444");
        assertThat(r.resourceGroup()).isEqualTo("test-rg");
        assertThat(r.name()).isEqualTo("my-aml-workspace");
        assertThat(r.id()).isEqualTo(WS);
    }

    @Test
    void parses_a_registry_id_with_any_casing_of_the_fixed_segments_and_a_trailing_slash() {
        AzureMlResource r = AzureMlResource.parse(
                " /SUBSCRIPTIONS/sub/resourcegroups/rg.1_(x)/providers/microsoft.machinelearningservices/Registries/reg-1/ ");

        assertThat(r.kind()).isEqualTo(AzureMlResource.Kind.REGISTRY);
        assertThat(r.id()).isEqualTo(
                "/subscriptions/sub/resourceGroups/rg.1_(x)/providers/Microsoft.MachineLearningServices/registries/reg-1");
    }

    @Test
    void rejects_anything_else_naming_the_bad_id() {
        for (String bad : List.of("", "iris", "/subscriptions/s/resourceGroups/rg",
                "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/a",
                WS + "/models/iris", WS.replace("workspaces", "computes"),
                "/subscriptions/s/resourceGroups/r g/providers/Microsoft.MachineLearningServices/workspaces/w")) {
            assertThatThrownBy(() -> AzureMlResource.parse(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'" + bad + "'");
        }
        assertThatThrownBy(() -> AzureMlResource.parse(null)).hasMessageContaining("'null'");
    }

    @Test
    void tells_resource_ids_from_folders() {
        assertThat(AzureMlResource.looksLikeResourceId(WS)).isTrue();
        assertThat(AzureMlResource.looksLikeResourceId("/Subscriptions/typo")).isTrue();
        assertThat(AzureMlResource.looksLikeResourceId(".greenlight/registry")).isFalse();
        assertThat(AzureMlResource.looksLikeResourceId("/srv/registry")).isFalse();
    }
}
