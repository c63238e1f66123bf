package dev.osmosis.engine.image;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Iterator;
import java.util.Optional;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import org.w3c.dom.Node;

/**
 * PNG files carrying the generation parameters in a text chunk named "parameters", as A1111
 * writes them (tEXt when the text is Latin-1, iTXt otherwise), so other tools read them back.
 * Writes are atomic: a temp file in the same folder, renamed over the target.
 */
public final class PngFile {
    public static final String PARAMETERS_KEY = "parameters";
    private static final String FORMAT = "javax_imageio_png_1.0";

    private PngFile() {}

    public static void write(Path target, BufferedImage image, String parameters) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(temp)) {
                encode(image, parameters, out);
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    static void encode(BufferedImage image, String parameters, OutputStream out) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
        try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(stream);
            ImageWriteParam param = writer.getDefaultWriteParam();
            IIOMetadata metadata = writer.getDefaultImageMetadata(
                    ImageTypeSpecifier.createFromRenderedImage(image), param);
            if (parameters != null) {
                metadata.mergeTree(FORMAT, textChunk(parameters));
            }
            writer.write(null, new IIOImage(image, null, metadata), param);
        } finally {
            writer.dispose();
        }
    }

    private static IIOMetadataNode textChunk(String text) {
        IIOMetadataNode root = new IIOMetadataNode(FORMAT);
        boolean latin1 = StandardCharsets.ISO_8859_1.newEncoder().canEncode(text);
        if (latin1) {
            IIOMetadataNode chunk = new IIOMetadataNode("tEXt");
            IIOMetadataNode entry = new IIOMetadataNode("tEXtEntry");
            entry.setAttribute("keyword", PARAMETERS_KEY);
            entry.setAttribute("value", text);
            chunk.appendChild(entry);
            root.appendChild(chunk);
        } else {
            IIOMetadataNode chunk = new IIOMetadataNode("iTXt");
            IIOMetadataNode entry = new IIOMetadataNode("iTXtEntry");
            entry.setAttribute("keyword", PARAMETERS_KEY);
            entry.setAttribute("compressionFlag", "FALSE");
            entry.setAttribute("compressionMethod", "0");
            entry.setAttribute("languageTag", "");
            entry.setAttribute("translatedKeyword", "");
            entry.setAttribute("text", text);
            chunk.appendChild(entry);
            root.appendChild(chunk);
        }
        return root;
    }

    /** The "parameters" text of a PNG (written by this studio or by A1111), if it has one. */
    public static Optional<String> readParameters(Path file) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            if (in == null) {
                return Optional.empty();
            }
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                return Optional.empty();
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true);
                IIOMetadata metadata = reader.getImageMetadata(0);
                if (metadata == null || !FORMAT.equals(metadata.getNativeMetadataFormatName())) {
                    return Optional.empty();
                }
                return findText((IIOMetadataNode) metadata.getAsTree(FORMAT));
            } finally {
                reader.dispose();
            }
        }
    }

    private static Optional<String> findText(IIOMetadataNode root) {
        for (Node chunk = root.getFirstChild(); chunk != null; chunk = chunk.getNextSibling()) {
            for (Node e = chunk.getFirstChild(); e != null; e = e.getNextSibling()) {
                if (!(e instanceof IIOMetadataNode entry) || !PARAMETERS_KEY.equals(entry.getAttribute("keyword"))) {
                    continue;
                }
                switch (entry.getNodeName()) {
                    case "tEXtEntry":
                        return Optional.of(entry.getAttribute("value"));
                    case "iTXtEntry":
                        return Optional.of(entry.getAttribute("text"));
                    default:
                        break;
                }
            }
        }
        return Optional.empty();
    }
}
