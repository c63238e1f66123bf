package dev.osmosis.engine.train.eval;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * All evaluation images on one PNG, one caption per row (its seeds side by side), each framed
 * green when every asked-for object came out right and red otherwise; the captions go to a text
 * file beside it, row by row (no fonts needed on a headless machine).
 */
public final class ContactSheet {
    private static final int BORDER = 3;

    private ContactSheet() {}

    public static void write(List<ShapesEval.Sample> samples, int columns, Path png) throws IOException {
        int cell = samples.get(0).image().getWidth() + 2 * BORDER;
        int rows = (samples.size() + columns - 1) / columns;
        BufferedImage sheet = new BufferedImage(columns * cell, rows * cell, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = sheet.createGraphics();
        g.setColor(Color.DARK_GRAY);
        g.fillRect(0, 0, sheet.getWidth(), sheet.getHeight());
        List<String> captions = new ArrayList<>();
        for (int i = 0; i < samples.size(); i++) {
            ShapesEval.Sample s = samples.get(i);
            int x = i % columns * cell;
            int y = i / columns * cell;
            g.setColor(s.allRight() ? new Color(40, 200, 60) : new Color(220, 40, 40));
            g.fillRect(x, y, cell, cell);
            g.drawImage(s.image(), x + BORDER, y + BORDER, null);
            if (i % columns == 0) {
                captions.add(String.format(java.util.Locale.ROOT, "row %d: %s%s", i / columns + 1,
                        s.prompt().caption(), s.prompt().heldOutPair() ? "  [held-out pair]" : ""));
            }
        }
        g.dispose();
        Path parent = png.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        ImageIO.write(sheet, "png", png.toFile());
        String name = png.getFileName().toString();
        Path text = png.resolveSibling(name.replaceFirst("\\.png$", "") + ".txt");
        Files.write(text, captions);
    }
}
