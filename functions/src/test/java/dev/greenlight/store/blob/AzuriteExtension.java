package dev.greenlight.store.blob;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests a running {@link Azurite}: one per test JVM, started by the first class that asks,
 * stopped when the root store closes at the end of the run (and by a shutdown hook if the JVM
 * goes first). Classes use {@code @ExtendWith(AzuriteExtension.class)} and take an
 * {@code Azurite} parameter. A missing Node.js or Azurite install fails the tests: it is never a
 * reason to skip them.
 */
public final class AzuriteExtension implements BeforeAllCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(AzuriteExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        azurite(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Azurite.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return azurite(context);
    }

    // The root store closes AutoCloseable values when the whole run ends, once.
    private static Azurite azurite(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(Azurite.class, key -> {
            Azurite azurite = Azurite.start();
            System.err.printf("Azurite blob service at %s ready in %d ms%n", azurite.blobEndpoint(), azurite.startup().toMillis());
            return azurite;
        }, Azurite.class);
    }
}
