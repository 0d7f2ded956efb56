namespace BeneficialRL.Evals.Importers;

/// <summary>A file could not be imported; nothing from it was imported. Names the file, line and field at fault.</summary>
public sealed class BenchmarkImportException : Exception
{
    /// <summary>Creates the exception.</summary>
    public BenchmarkImportException(string file, int line, string field, string problem, Exception? inner = null)
        : base($"{file}, line {line}, field '{field}': {problem}", inner)
    {
        File = file;
        Line = line;
        Field = field;
    }

    /// <summary>Creates the exception with a message only.</summary>
    public BenchmarkImportException()
        : this("?", 0, "?", "import failed")
    {
    }

    /// <summary>Creates the exception with a message only.</summary>
    public BenchmarkImportException(string message)
        : this("?", 0, "?", message)
    {
    }

    /// <summary>Creates the exception with a message and inner exception.</summary>
    public BenchmarkImportException(string message, Exception inner)
        : this("?", 0, "?", message, inner)
    {
    }

    /// <summary>The file (name) at fault.</summary>
    public string File { get; }

    /// <summary>The 1-based line (JSONL line, CSV record's first line, or JSON line) at fault.</summary>
    public int Line { get; }

    /// <summary>The field at fault.</summary>
    public string Field { get; }
}
