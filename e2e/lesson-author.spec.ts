import { readFile } from 'node:fs/promises';
import { test, expect } from '@playwright/test';
import type { Locator, Page } from '@playwright/test';
import { currentTick, open, pause, scan, stepHeading } from './helpers';

/**
 * A teacher writes a lesson in the app: does a few things in the lab, opens the editor, adds
 * two steps (a caption, then a question), shares the link (a fresh browser opens the lesson
 * with those steps and the question), exports the file and imports it, and finds the draft
 * after a reload. Then the same by tapping on a phone.
 */

const editorOf = (page: Page): Locator => page.getByRole('region', { name: 'Write a lesson' });
async function openEditor(page: Page): Promise<Locator> {
  await page.getByRole('button', { name: 'Lessons' }).click();
  await page.getByRole('dialog', { name: 'Lessons' }).getByRole('button', { name: 'Write a lesson' }).click();
  const editor = editorOf(page);
  await expect(editor).toBeVisible();
  return editor;
}

async function stepTimes(page: Page, n: number): Promise<void> {
  const step = page.getByRole('button', { name: 'Step', exact: true });
  for (let i = 0; i < n; i++) await step.click();
}

test('write a lesson: two steps with a caption and a question, shared as a link, exported and imported', async ({
  page,
  browser,
}) => {
  await open(page);
  await pause(page);
  // What the teacher does in the lab is the recording.
  await page.getByRole('slider', { name: 'Tick' }).focus();
  await page.keyboard.press('Home');
  await stepTimes(page, 3);
  await page.getByRole('button', { name: "Cut agent1's link" }).click();
  const t1 = await currentTick(page);

  const editor = await openEditor(page);
  await expect(editor.getByRole('heading', { name: 'Write a lesson' })).toBeFocused();
  await expect(editor.getByText('No steps yet')).toBeVisible();

  // A refused step says why beside the field, and keeps what was typed.
  await editor.getByLabel('Step title').fill('agent1 is cut off');
  await editor.getByRole('button', { name: `Add step here (tick ${t1})` }).click();
  await expect(editor.getByRole('alert').filter({ hasText: 'The caption is empty' })).toBeVisible();
  await expect(editor.getByLabel('Caption')).toBeFocused();
  await editor.getByLabel('Caption').fill('Its link to the store is cut: <b>watch</b> what its writes do.');
  await editor.getByRole('button', { name: `Add step here (tick ${t1})` }).click();
  await expect(editor.getByRole('status').filter({ hasText: `Added step 1 at tick ${t1}.` })).toBeVisible();

  await stepTimes(page, 12);
  const t2 = await currentTick(page);
  expect(t2).toBeGreaterThan(t1);
  await editor.getByLabel('Step title').fill('What will agent1 see?');
  await editor.getByLabel('Caption').fill('Its operations cannot reach the store.');
  await editor.getByLabel('Ask the class to predict').check();
  await editor.getByLabel('Question', { exact: true }).fill("Will agent1's next write be accepted?");
  await editor.getByLabel('Choice 1', { exact: true }).fill('Yes, at once');
  await editor.getByLabel('Choice 2', { exact: true }).fill('No: it times out');
  await editor.getByLabel('Choice 2 is the right answer').check();
  await editor
    .getByLabel('Explanation (shown with the answer)')
    .fill('A cut-off agent waits for a reply that never comes.');
  await editor.getByRole('button', { name: `Add step here (tick ${t2})` }).click();
  await expect(editor.getByRole('status').filter({ hasText: `Added step 2 at tick ${t2}.` })).toBeVisible();
  await expect(editor.getByRole('group', { name: 'Step 2' })).toBeVisible();
  await expect(editor.getByText("Asks: Will agent1's next write be accepted? (2 choices)")).toBeVisible();

  // Steps follow the run: moving across ticks is refused, with the way to do it.
  await editor.getByRole('button', { name: 'Up: move step 2 up' }).click();
  await expect(editor.getByRole('alert').filter({ hasText: 'steps follow the run' })).toBeVisible();
  await scan(page, 'editor with two steps');

  // The preview is the lesson player.
  await editor.getByRole('button', { name: 'Preview the lesson' }).click();
  await expect(stepHeading(page, 'agent1 is cut off')).toBeVisible();
  await expect(page.getByText('Step 1 of 2')).toBeVisible();
  await page.getByRole('button', { name: 'Back to editing' }).click();
  await expect(editor.getByRole('button', { name: 'Preview the lesson' })).toBeFocused();

  // Share as a link: a fresh browser opens the lesson, with its steps and the question.
  await editor.getByRole('button', { name: 'Copy link' }).click();
  const field = editor.getByLabel('Share link');
  await expect(field).toHaveValue(/#s=z:/);
  const link = await field.inputValue();
  // Export as a file too.
  const downloading = page.waitForEvent('download');
  await editor.getByRole('button', { name: 'Export' }).click();
  const download = await downloading;
  const text = await readFile(await download.path(), 'utf8');
  expect(JSON.parse(text).scenario.lesson.steps).toHaveLength(2);

  const fresh = await browser.newContext();
  try {
    const other = await fresh.newPage();
    await open(other, link);
    await expect(stepHeading(other, 'agent1 is cut off')).toBeVisible();
    await expect(other.getByText('Its link to the store is cut: <b>watch</b> what its writes do.')).toBeVisible();
    await expect(other.locator('b', { hasText: 'watch' })).toHaveCount(0);
    await other.getByRole('button', { name: 'Next step' }).click();
    await expect(stepHeading(other, 'What will agent1 see?')).toBeVisible();
    await expect(other.getByRole('group', { name: "Predict: Will agent1's next write be accepted?" })).toBeVisible();
    await expect(other.getByRole('radio', { name: 'No: it times out' })).toBeVisible();

    // Importing the file opens the lesson (over another scenario, here).
    await other.getByLabel('Scenario', { exact: true }).selectOption({ index: 1 });
    await expect(stepHeading(other, 'What will agent1 see?')).toHaveCount(0);
    await other
      .getByLabel('Import scenario file')
      .setInputFiles({ name: download.suggestedFilename(), mimeType: 'application/json', buffer: Buffer.from(text) });
    await expect(stepHeading(other, 'agent1 is cut off')).toBeVisible();
    await expect(other.getByText('Step 1 of 2')).toBeVisible();
  } finally {
    await fresh.close();
  }

  // The draft is the scenario's: it survives a reload, and "Edit this lesson" goes back to it.
  await page.waitForTimeout(700); // the autosave's debounce
  await page.reload();
  await expect(stepHeading(page, 'agent1 is cut off')).toBeVisible();
  await page.getByRole('button', { name: 'Edit this lesson' }).click();
  await expect(editorOf(page).getByRole('group', { name: 'Step 2' })).toBeVisible();
  await editorOf(page).getByRole('button', { name: 'Delete step 1' }).click();
  await expect(editorOf(page).getByRole('status').filter({ hasText: 'Deleted step 1' })).toBeVisible();
  await expect(editorOf(page).getByRole('group', { name: 'Step 2' })).toHaveCount(0);
  await editorOf(page).getByRole('button', { name: 'Undo this change' }).click();
  await expect(editorOf(page).getByRole('group', { name: 'Step 2' })).toBeVisible();
});

test('on a phone, a lesson is written by tapping', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
  const page = await context.newPage();
  try {
    await page.goto('/');
    await page.getByRole('tab', { name: 'Timeline' }).tap();
    await pause(page);
    await page.getByRole('button', { name: 'Lessons' }).tap();
    await page.getByRole('dialog', { name: 'Lessons' }).getByRole('button', { name: 'Write a lesson' }).tap();
    // Opened from the Timeline tab, the editor shows its own tab.
    await expect(page.getByRole('tab', { name: 'Act' })).toHaveAttribute('aria-selected', 'true');
    const editor = editorOf(page);
    await expect(editor.getByRole('heading', { name: 'Write a lesson' })).toBeFocused();
    const t = await currentTick(page);
    await editor.getByLabel('Step title').tap();
    await page.keyboard.type('Paused here');
    await editor.getByLabel('Caption').tap();
    await page.keyboard.type('Look at the store.');
    await editor.getByRole('button', { name: `Add step here (tick ${t})` }).tap();
    await expect(editor.getByRole('group', { name: 'Step 1' })).toBeVisible();
    await scan(page, 'phone editor');
    await editor.getByRole('button', { name: 'Preview the lesson' }).tap();
    await expect(stepHeading(page, 'Paused here')).toBeVisible();
    await page.getByRole('button', { name: 'Edit this lesson' }).tap();
    await expect(editor.getByRole('button', { name: 'Edit step 1' })).toBeVisible();
  } finally {
    await context.close();
  }
});
