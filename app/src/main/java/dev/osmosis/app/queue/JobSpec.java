package dev.osmosis.app.queue;

import dev.osmosis.app.engine.ModelSettings;
import dev.osmosis.app.models.ModelSource;
import dev.osmosis.engine.pipeline.GenerationRequest;

/**
 * Everything one queued generation needs, fixed when it is queued (the seed included), so a job
 * that waits runs exactly what the person asked for even if the form changes meanwhile.
 *
 * @param live made by generate-as-you-type: shown on the canvas, not saved to the gallery, replaced
 *     by the next keystroke
 * @param saveLatents also store the final latents beside the PNG (the CLI's --save-latents)
 */
public record JobSpec(ModelSource model, ModelSettings modelSettings, GenerationRequest request, boolean live,
        boolean saveLatents) {

    /** "a red star…  ·  seed 42  ·  512×512  ·  20 steps". */
    public String summary() {
        String p = request.prompt().isBlank() ? "(empty prompt)" : request.prompt().strip().replaceAll("\\s+", " ");
        if (p.length() > 60) {
            p = p.substring(0, 59) + "…";
        }
        return p;
    }

    public String details() {
        return (request.isImg2Img() ? "img2img · " : "") + "seed " + request.seed() + " · " + request.width() + "×"
                + request.height() + " · " + request.steps() + " steps" + (request.batch() > 1 ? " · ×" + request.batch() : "")
                + (live ? " · live" : "");
    }
}
