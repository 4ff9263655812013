// Streams a chat answer from each served model of the stack's deployment, through an OCI-signed OpenAI client.
// Usage: npx ts-node chat.ts <predictUrl> <model> [<model> ...]   (or node chat.js after tsc)
import { createInferenceClient } from "pulumi-aqua";

async function main(): Promise<void> {
  const [predictUrl, ...models] = process.argv.slice(2);
  if (!predictUrl || models.length === 0) throw new Error("usage: chat <predictUrl> <model> [<model> ...]");
  const client = await createInferenceClient({ predictUrl });
  for (const model of models) {
    process.stdout.write(`${model}: `);
    const stream = await client.chat.completions.create({
      model,
      messages: [{ role: "user", content: "Who wrote the book Harry Potter?" }],
      max_tokens: 60,
      stream: true,
    });
    for await (const chunk of stream) process.stdout.write(chunk.choices[0]?.delta?.content ?? "");
    process.stdout.write("\n");
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
