using System.Text;

namespace BeneficialRL.Evals.Importers;

/// <summary>
/// An RFC 4180 CSV reader: quoted fields may hold commas, doubled quotes and line breaks; CRLF or LF
/// line ends; a UTF-8 BOM is dropped. Each record remembers the line it started on for error messages.
/// </summary>
public sealed class CsvTable
{
    private CsvTable(string fileName, IReadOnlyList<string> header, IReadOnlyList<(int Line, string[] Fields)> rows)
    {
        FileName = fileName;
        Header = header;
        Rows = rows;
    }

    /// <summary>The file name used in error messages.</summary>
    public string FileName { get; }

    /// <summary>Column names (trimmed).</summary>
    public IReadOnlyList<string> Header { get; }

    /// <summary>Records after the header with their starting line numbers.</summary>
    public IReadOnlyList<(int Line, string[] Fields)> Rows { get; }

    /// <summary>Parses CSV text; a record with a different number of fields than the header is an error naming its line.</summary>
    public static CsvTable Parse(string text, string fileName)
    {
        if (text.Length > 0 && text[0] == '\uFEFF')
        {
            text = text[1..];
        }

        var records = new List<(int Line, string[] Fields)>();
        var fields = new List<string>();
        var field = new StringBuilder();
        int line = 1, recordLine = 1, i = 0;
        var quoted = false;
        var fieldStarted = false;
        while (i < text.Length)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i += 2;
                    continue;
                }

                if (c == '"')
                {
                    quoted = false;
                    i++;
                    continue;
                }

                if (c == '\n')
                {
                    line++;
                }

                field.Append(c);
                i++;
                continue;
            }

            switch (c)
            {
                case '"' when field.Length == 0:
                    quoted = true;
                    fieldStarted = true;
                    i++;
                    break;
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    fieldStarted = true;
                    i++;
                    break;
                case '\r' or '\n':
                    i += c == '\r' && i + 1 < text.Length && text[i + 1] == '\n' ? 2 : 1;
                    if (fieldStarted || field.Length > 0 || fields.Count > 0)
                    {
                        fields.Add(field.ToString());
                        records.Add((recordLine, [.. fields]));
                    }

                    fields.Clear();
                    field.Clear();
                    fieldStarted = false;
                    line++;
                    recordLine = line;
                    break;
                default:
                    field.Append(c);
                    fieldStarted = true;
                    i++;
                    break;
            }
        }

        if (quoted)
        {
            throw new BenchmarkImportException(fileName, recordLine, "(quote)", "a quoted field is never closed.");
        }

        if (fieldStarted || field.Length > 0 || fields.Count > 0)
        {
            fields.Add(field.ToString());
            records.Add((recordLine, [.. fields]));
        }

        if (records.Count == 0)
        {
            throw new BenchmarkImportException(fileName, 1, "(header)", "the file is empty.");
        }

        var header = records[0].Fields.Select(h => h.Trim()).ToArray();
        foreach (var (recordStart, values) in records.Skip(1))
        {
            if (values.Length != header.Length)
            {
                throw new BenchmarkImportException(fileName, recordStart, values.Length < header.Length ? header[values.Length] : "(extra)", $"expected {header.Length} fields, found {values.Length}.");
            }
        }

        return new CsvTable(fileName, header, records.Skip(1).ToList());
    }

    /// <summary>Index of a required column.</summary>
    public int Column(string name) =>
        Array.FindIndex([.. Header], h => string.Equals(h, name, StringComparison.Ordinal)) is var index and >= 0
            ? index
            : throw new BenchmarkImportException(FileName, 1, name, $"the header has no column '{name}' (columns: {string.Join(", ", Header)}).");
}
