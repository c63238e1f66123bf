package dev.osmosis.engine.train.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import dev.osmosis.engine.nn.OwnedTensors;
import dev.osmosis.engine.train.shapes.RenderedScene;
import dev.osmosis.engine.train.shapes.SceneRenderer;
import dev.osmosis.engine.train.shapes.ShapesDataset;
import dev.osmosis.engine.vae.AutoencoderKL;
import java.awt.image.BufferedImage;

/**
 * Ground-truth scenes through the model's autoencoder (encode to the posterior mean, decode) and
 * read back by the detector: the best a diffusion model working in these latents could score.
 */
public final class RoundTripCheck {
    private RoundTripCheck() {}

    public static Tally run(AutoencoderKL vae, int scenes, int size) {
        ShapeDetector detector = new ShapeDetector();
        Tally tally = new Tally();
        ShapesDataset[] splits = {new ShapesDataset(DetectorCheck.SEED + 1, ShapesDataset.Split.TRAIN),
            new ShapesDataset(DetectorCheck.SEED + 1, ShapesDataset.Split.HELD_OUT)};
        try (NDManager manager = NDManager.newBaseManager()) {
            for (int i = 0; i < scenes; i++) {
                RenderedScene scene = SceneRenderer.render(splits[i % 2].scene(i / 2), size);
                BufferedImage decoded;
                try (NDScope scope = new NDScope()) {
                    float[] pixels = new float[3 * size * size];
                    byte[] rgb = scene.rgb();
                    for (int p = 0; p < size * size; p++) {
                        for (int c = 0; c < 3; c++) {
                            pixels[c * size * size + p] = (rgb[p * 3 + c] & 0xff) / 127.5f - 1f;
                        }
                    }
                    NDArray image = OwnedTensors.of(manager, pixels, 1, 3, size, size);
                    NDArray latents = vae.encode(image).mean().mul((float) vae.config().scalingFactor());
                    float[] out = AutoencoderKL.toUnitRange(vae.decode(latents)).toFloatArray();
                    decoded = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
                    for (int p = 0; p < size * size; p++) {
                        int r = Math.round(out[p] * 255);
                        int g = Math.round(out[size * size + p] * 255);
                        int b = Math.round(out[2 * size * size + p] * 255);
                        decoded.setRGB(p % size, p / size, (r << 16) | (g << 8) | b);
                    }
                }
                var found = detector.detect(decoded);
                tally.add(scene.scene().caption(), scene.scene().objects().size(),
                        ObjectMatch.match(scene.scene().objects(), found), found.size());
            }
        }
        return tally;
    }
}
