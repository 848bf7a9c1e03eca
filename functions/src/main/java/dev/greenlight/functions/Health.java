package dev.greenlight.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import dev.greenlight.app.Greenlight;
import java.util.Optional;
import java.util.function.Supplier;

/** `GET /api/health`: 200 when every model has a baseline loaded, 503 before. */
public class Health {
    private final Supplier<Greenlight> app;

    public Health() {
        this(Greenlight::instance);
    }

    Health(Supplier<Greenlight> app) {
        this.app = app;
    }

    @FunctionName("Health")
    public HttpResponseMessage run(
            @HttpTrigger(name = "req", methods = {HttpMethod.GET}, authLevel = AuthorizationLevel.ANONYMOUS,
                    route = "health") HttpRequestMessage<Optional<String>> request,
            ExecutionContext context) {
        return Http.handle(request, context, () -> {
            var status = app.get().status();
            return Http.json(request, status.ready() ? 200 : 503, status.health().toString());
        });
    }
}
