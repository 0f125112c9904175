using Hanko.Webhooks.SchemaGen;

// dotnet run --project tools/Hanko.Webhooks.SchemaGen [-- --check]: writes (or, with --check, compares) schemas/ in the repository.
var check = args.Contains("--check");
var folder = Path.Combine(SchemaDocuments.RepositoryRoot(AppContext.BaseDirectory), SchemaDocuments.Folder);
var differences = SchemaDocuments.Differences(folder);
if (check)
{
    foreach (var difference in differences)
    {
        Console.Error.WriteLine(difference);
    }

    return differences.Count == 0 ? 0 : 1;
}

Directory.CreateDirectory(folder);
foreach (var file in Directory.GetFiles(folder))
{
    File.Delete(file);
}

foreach (var document in SchemaDocuments.Generate())
{
    File.WriteAllText(Path.Combine(folder, document.FileName), document.Text);
}

Console.WriteLine($"Wrote {SchemaDocuments.Generate().Count} files to {folder}.");
return 0;
