package dev.greenlight.app;

import dev.greenlight.config.Settings;
import dev.greenlight.registry.LocalModelRegistry;
import dev.greenlight.registry.ModelRegistry;
import dev.greenlight.registry.arm.ArmModelRegistry;
import dev.greenlight.registry.arm.ArmPipeline;
import dev.greenlight.registry.arm.AzureMlResource;
import dev.greenlight.registry.arm.BlobDownloader;
import dev.greenlight.registry.arm.BlobUploader;
import java.nio.file.Path;

/** Picks the registry adapter {@code GREENLIGHT_REGISTRY} names: an Azure ML resource id, or a local folder. */
public final class Registries {
    private Registries() {
    }

    public static ModelRegistry from(Settings settings) {
        if (!AzureMlResource.looksLikeResourceId(settings.registry())) {
            return new LocalModelRegistry(Path.of(settings.registry()));
        }
        var credential = Credentials.shared();
        return new ArmModelRegistry(ArmPipeline.create(credential, settings.armEndpoint(), null),
                settings.armEndpoint(), ArmModelRegistry.DEFAULT_API_VERSION,
                AzureMlResource.parse(settings.registry()), BlobDownloader.storage(credential, null),
                BlobUploader.storage(credential, null));
    }
}
