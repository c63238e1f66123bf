package dev.osmosis.engine.text;

import static dev.osmosis.engine.testing.Reference.UNIT_ATOL;
import static dev.osmosis.engine.testing.Reference.UNIT_RTOL;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.osmosis.engine.testing.Fixtures;
import dev.osmosis.engine.testing.Reference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A1111-style prompt encoding on the tiny-sd1 text encoder (width 32). */
class PromptEncoderTest {
    private static final String PROMPT = "a photo of a cat";
    private static final String NEGATIVE = "blurry, low quality, watermark";
    private static final int WIDTH = 32;

    private static NDManager manager;
    private static ClipTokenizer tokenizer;
    private static ClipTextEncoder textEncoder;
    private static PromptEncoder prompts;

    @BeforeAll
    static void load() {
        manager = NDManager.newBaseManager();
        tokenizer = ClipTokenizer.load(Fixtures.tinySd1().resolve("tokenizer"));
        textEncoder = ClipTextEncoder.load(Fixtures.tinySd1().resolve("text_encoder"), manager);
        prompts = new PromptEncoder(tokenizer, textEncoder);
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    private static NDArray plain(String prompt, int clipSkip) {
        NDArray ids = manager.create(tokenizer.encode77(prompt), new Shape(1, 77));
        return textEncoder.forward(ids, clipSkip);
    }

    @Test
    void plainShortPromptIsExactlyTheTextEncoderOutput() {
        try (NDScope s = new NDScope()) {
            NDArray encoded = prompts.encode(PROMPT, 1);
            assertArrayEquals(plain(PROMPT, 1).toFloatArray(), encoded.toFloatArray());
            try (Reference ref = Reference.of("pipeline_txt2img_ddim.safetensors")) {
                ref.assertClose("out.prompt_embeds", encoded, UNIT_ATOL, UNIT_RTOL);
            }
        }
    }

    @Test
    void pairMatchesDiffusersPromptAndNegativeEmbeds() {
        try (NDScope s = new NDScope();
                Reference ref = Reference.of("pipeline_txt2img_ddim.safetensors")) {
            PromptEncoder.Conditioning pair = prompts.encodePair(PROMPT, NEGATIVE, 1);
            ref.assertClose("out.prompt_embeds", pair.prompt(), UNIT_ATOL, UNIT_RTOL);
            ref.assertClose("out.negative_prompt_embeds", pair.negative(), UNIT_ATOL, UNIT_RTOL);
            NDArray batch = pair.cfgBatch();
            assertEquals(new Shape(2, 77, WIDTH), batch.getShape());
            assertArrayEquals(pair.negative().toFloatArray(), batch.get(0).toFloatArray());
        }
    }

    @Test
    void clipSkipTwoMatchesPenultimateNormedReference() {
        try (NDScope s = new NDScope();
                Reference ref = Reference.of("text_encoder.safetensors")) {
            // row 1 of the text encoder reference is "a photo of a cat"
            NDArray expected = ref.array(manager, "out.penultimate_normed").get(1).expandDims(0);
            float[] actual = prompts.encode(PROMPT, 2).toFloatArray();
            float[] want = expected.toFloatArray();
            for (int i = 0; i < want.length; i++) {
                assertEquals(want[i], actual[i], UNIT_ATOL + UNIT_RTOL * Math.abs(want[i]), "element " + i);
            }
        }
    }

    @Test
    void hundredTokenPromptIsTwoChunksJoinedAlongTheTokenAxis() {
        try (NDScope s = new NDScope()) {
            String prompt = "cat ".repeat(100).trim();
            NDArray encoded = prompts.encode(prompt, 1);
            assertEquals(new Shape(1, 154, WIDTH), encoded.getShape());
            NDArray secondChunk = encoded.get(new NDIndex(":, 77:154, :"));
            assertArrayEquals(plain("cat ".repeat(25).trim(), 1).toFloatArray(), secondChunk.toFloatArray());
        }
    }

    @Test
    void pairPadsTheShorterPromptWithEmptyPromptChunks() {
        try (NDScope s = new NDScope()) {
            PromptEncoder.Conditioning pair = prompts.encodePair("cat ".repeat(100).trim(), "", 1);
            assertEquals(new Shape(1, 154, WIDTH), pair.prompt().getShape());
            assertEquals(new Shape(1, 154, WIDTH), pair.negative().getShape());
            float[] empty = plain("", 1).toFloatArray();
            assertArrayEquals(empty, pair.negative().get(new NDIndex(":, 0:77, :")).toFloatArray());
            assertArrayEquals(empty, pair.negative().get(new NDIndex(":, 77:154, :")).toFloatArray());
        }
    }

    @Test
    void weightOneEverywhereIsTheUnweightedEncoding() {
        try (NDScope s = new NDScope()) {
            NDArray weighted = prompts.encode("(a photo:1.0) of (a cat:1)", 1);
            assertArrayEquals(prompts.encode(PROMPT, 1).toFloatArray(), weighted.toFloatArray());
        }
    }

    @Test
    void weightedTokenIsScaledByItsWeightAndTheChunkKeepsItsMean() {
        try (NDScope s = new NDScope()) {
            float[] z = plain(PROMPT, 1).toFloatArray();
            float[] w = prompts.encode("a photo of a (cat:1.5)", 1).toFloatArray();
            int catPosition = 5; // bos a photo of a cat
            double plainSum = 0;
            double weightedSum = 0;
            for (int i = 0; i < z.length; i++) {
                plainSum += z[i];
                weightedSum += z[i] * (i / WIDTH == catPosition ? 1.5 : 1.0);
            }
            double rescale = plainSum / weightedSum;
            double newSum = 0;
            for (int i = 0; i < z.length; i++) {
                double weight = i / WIDTH == catPosition ? 1.5 : 1.0;
                double expected = z[i] * weight * rescale;
                assertEquals(expected, w[i], 1e-5 + 1e-4 * Math.abs(expected), "element " + i);
                newSum += w[i];
            }
            assertEquals(plainSum / z.length, newSum / w.length, 1e-6);
        }
    }

    @Test
    void encodingLeavesOnlyItsResultInTheModelManager() {
        try (NDManager model = NDManager.newBaseManager()) {
            PromptEncoder own = new PromptEncoder(tokenizer,
                    ClipTextEncoder.load(Fixtures.tinySd1().resolve("text_encoder"), model));
            int before = ((BaseNDManager) model).getManagedArrays().size();
            NDArray encoded = own.encode("a (cat:1.2), " + "dog ".repeat(90), 2);
            assertEquals(before + 1, ((BaseNDManager) model).getManagedArrays().size());
            encoded.close();
            assertEquals(before, ((BaseNDManager) model).getManagedArrays().size());
        }
    }
}
