package dev.osmosis.app.store;

import dev.osmosis.engine.pipeline.GenerationRequest;
import dev.osmosis.engine.pipeline.PluginSpec;
import java.nio.file.Path;
import java.time.Instant;
import java.util.stream.Collectors;

/**
 * One generated image in the history: its PNG file and every parameter as a column (so the database
 * can be queried by seed, sampler, model...), plus the A1111 parameters text that restores it.
 *
 * @param id database id, 0 before it is stored
 * @param file the PNG, absolute
 * @param strength the img2img strength, or null for txt2img
 * @param plugins the plugins in --plugin syntax, space separated ("" for none)
 * @param latentsFile the final latents (.safetensors) when saved, else null
 */
public record HistoryEntry(
        long id,
        Instant createdAt,
        Path file,
        String prompt,
        String negativePrompt,
        String model,
        String sampler,
        int steps,
        double cfgScale,
        long seed,
        int width,
        int height,
        int batchSize,
        int batchIndex,
        int clipSkip,
        Double strength,
        String plugins,
        String parameters,
        long elapsedMillis,
        Path latentsFile) {

    /** The entry for image {@code index} of a generation of {@code request}, not stored yet. */
    public static HistoryEntry of(GenerationRequest request, int index, long seed, String model, String parameters,
            Path file, Path latentsFile, long elapsedMillis, Instant createdAt) {
        return new HistoryEntry(0, createdAt, file, request.prompt(), request.negativePrompt(), model,
                request.sampler(), request.steps(), request.cfgScale(), seed, request.width(), request.height(),
                request.batch(), index, request.clipSkip(), request.isImg2Img() ? request.strength() : null,
                request.plugins().stream().map(PluginSpec::format).collect(Collectors.joining(" ")), parameters,
                elapsedMillis, latentsFile);
    }

    public HistoryEntry withId(long newId) {
        return new HistoryEntry(newId, createdAt, file, prompt, negativePrompt, model, sampler, steps, cfgScale, seed,
                width, height, batchSize, batchIndex, clipSkip, strength, plugins, parameters, elapsedMillis,
                latentsFile);
    }

    public boolean isImg2Img() {
        return strength != null;
    }
}
