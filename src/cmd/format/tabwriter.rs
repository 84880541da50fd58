//! Column alignment as Go's `text/tabwriter` does it with Docker's settings
//! (`NewWriter(out, 10, 1, 3, ' ', 0)`): tab-terminated cells, column blocks, space padding.
//!
//! Works on a finished string; it knows nothing about templates.

/// Docker's tabwriter minimum cell width.
const MIN_WIDTH: usize = 10;
/// Docker's tabwriter padding added to the widest cell of a column.
const PADDING: usize = 3;

/// Aligns `text` like Go's tabwriter with `minwidth 10, padding 3, padchar ' ', flags 0`.
///
/// A cell is text terminated by a tab; the text after a line's last tab is not a column cell
/// and is never padded. Widths are computed per column block (consecutive lines that have
/// that column), which is what makes Go's output differ from naive per-column maxima.
pub fn align(text: &str) -> String {
    let lines: Vec<Vec<&str>> = text.split('\n').map(|l| l.split('\t').collect()).collect();
    let mut out = String::with_capacity(text.len() * 2);
    let mut widths = Vec::new();
    format_block(&lines, &mut widths, 0, lines.len(), &mut out);
    out
}

/// Go's `(*Writer).format`: recursively finds the column block for the next column.
fn format_block(
    lines: &[Vec<&str>],
    widths: &mut Vec<usize>,
    mut line0: usize,
    line1: usize,
    out: &mut String,
) {
    let column = widths.len();
    let mut this = line0;
    while this < line1 {
        if column + 1 >= lines[this].len() {
            this += 1;
            continue;
        }
        // A cell exists in this column: print the lines before the block, then size the block.
        write_lines(lines, widths, line0, this, out);
        line0 = this;
        let mut width = MIN_WIDTH;
        while this < line1 && column + 1 < lines[this].len() {
            width = width.max(cell_width(lines[this][column]) + PADDING);
            this += 1;
        }
        widths.push(width);
        format_block(lines, widths, line0, this, out);
        widths.pop();
        line0 = this;
    }
    write_lines(lines, widths, line0, line1, out);
}

/// Go's `(*Writer).writeLines`: every line but the very last gets a newline.
fn write_lines(lines: &[Vec<&str>], widths: &[usize], from: usize, to: usize, out: &mut String) {
    for (i, line) in lines.iter().enumerate().take(to).skip(from) {
        for (j, cell) in line.iter().enumerate() {
            out.push_str(cell);
            if let Some(w) = widths.get(j) {
                let pad = w.saturating_sub(cell_width(cell));
                out.extend(std::iter::repeat_n(' ', pad));
            }
        }
        if i + 1 < lines.len() {
            out.push('\n');
        }
    }
}

/// Go's tabwriter counts runes, not bytes.
fn cell_width(cell: &str) -> usize {
    cell.chars().count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn docker_images_table() {
        let text = "REPOSITORY\tTAG\tIMAGE ID\tCREATED\tSIZE\n\
                    busybox\tlatest\ta416a98b71e2\t2 months ago\t4.26MB\n";
        assert_eq!(
            align(text),
            "REPOSITORY   TAG       IMAGE ID       CREATED        SIZE\n\
             busybox      latest    a416a98b71e2   2 months ago   4.26MB\n"
        );
    }

    #[test]
    fn wide_cells_widen_the_whole_column() {
        let text = "A\tB\nsomething-very-long-here\tx\nc\ty\n";
        assert_eq!(
            align(text),
            "A                          B\n\
             something-very-long-here   x\n\
             c                          y\n"
        );
    }

    #[test]
    fn last_cell_is_not_padded_and_blocks_break() {
        // The single-cell line ends the column block: widths before and after are independent.
        let text = "aaaaaaaaaaaaaaaa\tb\nno tabs here\nc\td\n";
        assert_eq!(
            align(text),
            "aaaaaaaaaaaaaaaa   b\nno tabs here\nc         d\n"
        );
    }

    #[test]
    fn trailing_tab_pads_the_cell() {
        assert_eq!(align("a\t\n"), "a         \n");
        assert_eq!(align(""), "");
        assert_eq!(align("no newline"), "no newline");
    }

    #[test]
    fn runes_not_bytes() {
        assert_eq!(align("héllo\tx\nab\ty\n"), "héllo     x\nab        y\n");
    }
}
