package dev.greenlight.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.greenlight.config.Settings;
import dev.greenlight.registry.LocalModelRegistry;
import dev.greenlight.registry.arm.ArmModelRegistry;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RegistriesTest {
    private static Settings settings(String registry) {
        Map<String, String> values = new HashMap<>();
        values.put("GREENLIGHT_MODELS", "emotion-clf");
        values.put("GREENLIGHT_REGISTRY", registry);
        values.put("GREENLIGHT_STORE", "/tmp/store");
        return Settings.from(values);
    }

    @Test
    void a_workspace_or_registry_resource_id_selects_azure_ml() {
        assertThat(Registries.from(settings("/subscriptions/0000/resourceGroups/rg/providers/"
                + "Microsoft.MachineLearningServices/workspaces/ws"))).isInstanceOf(ArmModelRegistry.class);
        assertThat(Registries.from(settings("/subscriptions/0000/resourceGroups/rg/providers/"
                + "Microsoft.MachineLearningServices/registries/shared"))).isInstanceOf(ArmModelRegistry.class);
    }

    @Test
    void a_folder_selects_the_local_registry() {
        assertThat(Registries.from(settings("/tmp/registry"))).isInstanceOf(LocalModelRegistry.class);
    }

    @Test
    void a_malformed_resource_id_is_refused_with_the_id() {
        assertThatThrownBy(() -> Registries.from(settings("/subscriptions/0000/resourceGroups/rg/providers/"
                + "Microsoft.MachineLearningServices/workspacez/ws"))).hasMessageContaining("workspacez");
    }
}
