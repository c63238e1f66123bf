package dev.osmosis.engine.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The values of an original LDM inference config (CompVis/Stability {@code v1-inference.yaml},
 * {@code v2-inference-v.yaml}, or the same tree as JSON) that tensor shapes cannot tell: the
 * parameterisation, the latent scale factor, the attention head layout and the latent size.
 * A null field means the file does not say.
 *
 * @param predictionType diffusers' name: "epsilon" (LDM's default "eps"), "v_prediction" ("v") or "sample" ("x0")
 * @param scaleFactor    model.params.scale_factor, the VAE latent scaling (0.18215 for SD1/SD2)
 * @param imageSize      model.params.image_size, the latent side the model was trained at (64 = 512 px)
 * @param numHeads       unet_config.params.num_heads when positive (SD1: 8 heads in every block)
 * @param numHeadChannels unet_config.params.num_head_channels when positive (SD2: 64-wide heads)
 * @param contextDim     unet_config.params.context_dim (cross-attention width)
 * @param useLinearInTransformer unet_config.params.use_linear_in_transformer (SD2: Linear proj_in/out)
 */
public record LdmSidecar(
        Path file,
        String predictionType,
        Double scaleFactor,
        Integer imageSize,
        Integer numHeads,
        Integer numHeadChannels,
        Integer contextDim,
        Boolean useLinearInTransformer) {

    private static final List<String> EXTENSIONS = List.of(".yaml", ".yml", ".json");

    /** The config beside {@code checkpoint} with the same base name (.yaml, .yml or .json), if any. */
    public static Optional<Path> find(Path checkpoint) {
        Path name = checkpoint.getFileName();
        if (name == null) {
            return Optional.empty();
        }
        String base = name.toString();
        int dot = base.lastIndexOf('.');
        if (dot > 0) {
            base = base.substring(0, dot);
        }
        for (String ext : EXTENSIONS) {
            Path candidate = checkpoint.resolveSibling(base + ext);
            if (Files.isRegularFile(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    public static LdmSidecar read(Path file) {
        JsonNode root;
        try {
            ObjectMapper mapper = file.toString().toLowerCase(Locale.ROOT).endsWith(".json")
                    ? new ObjectMapper() : new YAMLMapper();
            root = mapper.readTree(file.toFile());
        } catch (IOException e) {
            throw new ModelFormatException(file + ": cannot be read as an LDM config ("
                    + String.valueOf(e.getMessage()).lines().findFirst().orElse("") + ")", e);
        }
        JsonNode params = root == null ? null : root.path("model").path("params");
        if (params == null || !params.isObject()) {
            throw new ModelFormatException(file + ": not an LDM config (no model.params section)");
        }
        JsonNode unet = params.path("unet_config").path("params");
        return new LdmSidecar(
                file,
                predictionType(file, params.path("parameterization")),
                number(file, params, "scale_factor"),
                positive(file, params, "image_size"),
                positive(file, unet, "num_heads"),
                positive(file, unet, "num_head_channels"),
                positive(file, unet, "context_dim"),
                bool(file, unet, "use_linear_in_transformer"));
    }

    private static String predictionType(Path file, JsonNode node) {
        if (node.isMissingNode() || node.isNull()) {
            return "epsilon"; // LatentDiffusion's default parameterization is "eps"
        }
        return switch (node.asText()) {
            case "eps" -> "epsilon";
            case "v" -> "v_prediction";
            case "x0" -> "sample";
            default -> throw new ModelFormatException(file + ": model.params.parameterization '" + node.asText()
                    + "' is not one of eps, v, x0");
        };
    }

    private static Double number(Path file, JsonNode parent, String key) {
        JsonNode node = parent.path(key);
        if (node.isMissingNode() || node.isNull()) {
            return null;
        }
        if (node.isNumber()) {
            return node.doubleValue();
        }
        try {
            return Double.parseDouble(node.asText().trim());
        } catch (NumberFormatException e) {
            throw new ModelFormatException(file + ": " + key + " must be a number, found '" + node.asText() + "'");
        }
    }

    /** A positive integer, or null when absent or -1 (LDM's "unset", as in num_heads: -1). */
    private static Integer positive(Path file, JsonNode parent, String key) {
        Double value = number(file, parent, key);
        if (value == null || value == -1) {
            return null;
        }
        if (value <= 0 || value != Math.rint(value) || value > Integer.MAX_VALUE) {
            throw new ModelFormatException(file + ": " + key + " must be a positive integer, found " + value);
        }
        return value.intValue();
    }

    private static Boolean bool(Path file, JsonNode parent, String key) {
        JsonNode node = parent.path(key);
        if (node.isMissingNode() || node.isNull()) {
            return null;
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        // YAML 1.1 files say True/False; accept any spelling of the two words
        return switch (node.asText().trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new ModelFormatException(file + ": " + key + " must be true or false, found '"
                    + node.asText() + "'");
        };
    }
}
