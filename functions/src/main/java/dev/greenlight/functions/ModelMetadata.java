package dev.greenlight.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import dev.greenlight.app.Greenlight;
import java.util.Optional;
import java.util.function.Supplier;

/** `GET /api/v2/models/{model}`: Open Inference Protocol v2 model metadata. */
public class ModelMetadata {
    private final Supplier<Greenlight> app;

    public ModelMetadata() {
        this(Greenlight::instance);
    }

    ModelMetadata(Supplier<Greenlight> app) {
        this.app = app;
    }

    @FunctionName("ModelMetadata")
    public HttpResponseMessage run(
            @HttpTrigger(name = "req", methods = {HttpMethod.GET}, authLevel = AuthorizationLevel.FUNCTION,
                    route = "v2/models/{model}") HttpRequestMessage<Optional<String>> request,
            @BindingName("model") String model,
            ExecutionContext context) {
        return Http.handle(request, context, () -> {
            return Http.answer(request, app.get().inference().metadata(model));
        });
    }
}
